// Credential signing keys (docs/credentials.md, ADR 0030), in the directory CREDENTIAL_KEYS_DIR names (outside
// production, the demo directory data/keys/credentials when it is unset):
//   npm run keys:init-credentials     the first Ed25519 + RSA-2048 keys, if the directory holds none
//   npm run keys:rotate-credentials   new keys sign from now on; the old ones are retired (private half removed)
//                                     and stay published, so what they signed still verifies
// Prints the key ids only, never a key. Exit 1 with a message when something is wrong.
import {
  CredentialKeyError,
  DEMO_CREDENTIAL_KEYS_DIR,
  ensureCredentialKeys,
  loadSigningKeys,
  rotateCredentialKeys,
} from "#app/credentials/keys.server";

const command = process.argv[2];
const configured = process.env.CREDENTIAL_KEYS_DIR?.trim();
if (process.env.CREDENTIAL_KEYS?.trim()) {
  console.error("CREDENTIAL_KEYS holds the keys inline: make and rotate them in a directory (CREDENTIAL_KEYS_DIR), then copy them.");
  process.exit(1);
}
if (!configured && process.env.NODE_ENV === "production") {
  console.error("Set CREDENTIAL_KEYS_DIR to the directory of the credential keys (e.g. a mounted secret volume).");
  process.exit(1);
}
const dir = configured || DEMO_CREDENTIAL_KEYS_DIR;

try {
  if (command === "init") {
    const made = await ensureCredentialKeys(dir);
    console.log(
      made.length ? `credential keys: made ${made.join(", ")} in ${dir}` : `credential keys: ${dir} already holds keys (nothing made)`,
    );
  } else if (command === "rotate") {
    const { created, retired } = await rotateCredentialKeys(dir);
    console.log(`credential keys: ${created.join(", ")} sign from now on; retired ${retired.join(", ") || "none"} (still published)`);
  } else {
    console.error("usage: tsx scripts/credential-keys.ts init|rotate");
    process.exit(2);
  }
  const keys = await loadSigningKeys({ env: { CREDENTIAL_KEYS_DIR: dir } });
  console.log(
    `credential keys: signing with ${keys.activeEd25519.kid} and ${keys.activeRsa.kid}; published ${keys.ed25519.length + keys.rsa.length}`,
  );
} catch (error) {
  if (error instanceof CredentialKeyError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
