/**
 * Embedded proofs: DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite (RDF canonicalisation in JSON-LD safe
 * mode, Ed25519 signature), through @digitalbazaar/vc, with the static document loader. Used for Open Badges
 * credentials (open-badge.server.ts) and the status list credentials (models/status-list.server.ts).
 */
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { credentialDocumentLoader } from "./document-loader.server";
import { type CredentialOptions, verificationMethodId } from "./issuer.server";
import { loadSigningKeys } from "./keys.server";

export type JsonObject = Record<string, unknown>;

/**
 * Signs a VC 2.0 credential (without a proof) with the active Ed25519 key; returns a new object with `proof`.
 * Throws when the credential is malformed or uses a term or context the loader does not hold (safe mode).
 */
export async function signDataIntegrity<T extends JsonObject>(
  credential: T,
  options: CredentialOptions = {},
): Promise<T & { proof: JsonObject }> {
  const keys = await loadSigningKeys();
  const signer = await keys.ed25519Signer(verificationMethodId(keys.activeEd25519.kid, options));
  const suite = new DataIntegrityProof({ signer, cryptosuite });
  const { proof: _ignored, ...unsigned } = structuredClone(credential) as JsonObject;
  return (await vc.issue({ credential: unsigned, suite, documentLoader: credentialDocumentLoader(keys, options) })) as T & {
    proof: JsonObject;
  };
}

export type ProofCheck = { valid: boolean; errors: string[] };

/**
 * Checks a credential's embedded proof against our published keys only (the controller document our loader
 * builds). `at` is the time the validity dates are judged at — pass the credential's own validFrom to check the
 * signature alone; expiry is reported separately by the callers. Status is not checked here.
 */
export async function checkDataIntegrity(credential: JsonObject, at: Date, options: CredentialOptions = {}): Promise<ProofCheck> {
  const keys = await loadSigningKeys();
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: credentialDocumentLoader(keys, options),
    now: at,
    checkStatus: async () => ({ verified: true }),
  });
  if (result.verified) return { valid: true, errors: [] };
  return { valid: false, errors: errorMessages(result) };
}

function errorMessages(result: { error?: Error & { errors?: Error[] }; results?: { error?: Error }[] }): string[] {
  const messages = new Set<string>();
  for (const e of result.error?.errors ?? []) messages.add(e.message);
  if (result.error && !result.error.errors?.length) messages.add(result.error.message);
  for (const r of result.results ?? []) if (r.error) messages.add(r.error.message);
  return messages.size ? [...messages] : ["The proof did not verify."];
}
