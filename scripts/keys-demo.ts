// `npm start` (prestart): makes the demo's recording master key, data/keys/recording-master-keys (mode 0600), and the
// demo's credential signing keys, data/keys/credentials/ (mode 0700, files 0600), if they do not exist yet. Never in
// production: real deployments set RECORDING_MASTER_KEYS or RECORDING_KEYS_FILE
// (docs/decisions/0018-recording-encryption.md) and CREDENTIAL_KEYS_DIR or CREDENTIAL_KEYS (docs/credentials.md).
import { DEMO_CREDENTIAL_KEYS_DIR, ensureCredentialKeys } from "#app/credentials/keys.server";
import { env } from "#app/env.server";
import { ensureDemoKeyFile } from "#app/storage/keys.server";

if (env().NODE_ENV === "production") {
  console.log("keys:demo: NODE_ENV=production, no demo key made. Set RECORDING_MASTER_KEYS or RECORDING_KEYS_FILE.");
  console.log("keys:demo: and CREDENTIAL_KEYS_DIR (npm run keys:init-credentials) or CREDENTIAL_KEYS for credentials.");
} else {
  console.log(`keys:demo: recording master key at ${ensureDemoKeyFile()} (demo only; never for real patient data)`);
  const made = await ensureCredentialKeys(DEMO_CREDENTIAL_KEYS_DIR);
  console.log(
    `keys:demo: credential signing keys in ${DEMO_CREDENTIAL_KEYS_DIR}${made.length ? ` (made ${made.join(", ")})` : ""} (demo only)`,
  );
}
