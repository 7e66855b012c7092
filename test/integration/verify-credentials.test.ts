// The credential routes: the certificate's Open Badges 3.0 credential as JSON-LD with a Data Integrity proof and
// as a VC-JWT, signed once and kept, never changed by a status change (the status lists are), and the same
// refusals as the status API.
import { createPublicKey, randomInt, verify } from "node:crypto";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { describe, expect, it } from "vitest";
import { verifyPresentedCredential } from "#app/credentials/open-badge.server";
import { getDb } from "#app/db.server";
import { changeCertificateStatus } from "#app/models/certificate.server";
import * as jwksRoute from "#app/routes/[.well-known].jwks[.json]";
import * as jwtRoute from "#app/routes/api.v1.certificates.$code_.credential";
import * as jsonRoute from "#app/routes/api.v1.certificates.$code_.credential[.json]";
import * as statusLists from "#app/routes/api.v1.status-lists.$purpose";
import { callLoader, makeUser, testContext } from "../support/app";
import { makeHolderCertificate } from "../support/certificates";

const freshIp = () => `192.0.2.${randomInt(1, 254)}`;
const base = testContext().appUrl;

async function asJson(code: string) {
  const request = new Request(`http://localhost/api/v1/certificates/${code}/credential.json`);
  return (await jsonRoute.loader({ request, params: { code }, context: testContext(freshIp()) })) as Response;
}
async function asJwt(code: string) {
  const request = new Request(`http://localhost/api/v1/certificates/${code}/credential`);
  return (await jwtRoute.loader({ request, params: { code }, context: testContext(freshIp()) })) as Response;
}

/** Whether bit `index` of a served status list is set, decoded from the list credential itself. */
async function bit(purpose: "revocation" | "suspension", index: number): Promise<boolean> {
  const out = await callLoader(statusLists.loader, { path: `/api/v1/status-lists/${purpose}`, params: { purpose } });
  const list = await decodeList({
    encodedList: (out.data as { credentialSubject: { encodedList: string } }).credentialSubject.encodedList,
  });
  return list.getStatus(index);
}

describe("GET /api/v1/certificates/{code}/credential.json", () => {
  it("is an OpenBadgeCredential with a DataIntegrityProof (eddsa-rdfc-2022), its subject an id, its status entries the certificate's bits", async () => {
    const cert = await makeHolderCertificate({ holderName: "Cora Credential" });
    const response = await asJson(cert.code);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vc+ld+json; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    type Vc = {
      id: string;
      type: string[];
      credentialSubject: { id: string; identifier: unknown[]; achievement: unknown };
      proof: unknown;
      credentialStatus: { statusPurpose: string; statusListIndex: string }[];
    };
    const vc = (await response.json()) as Vc;
    expect(vc.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(vc.id).toBe(`${base}/verify/${cert.code}`);
    expect(vc.credentialSubject.id).toBe(`${base}/register/${cert.code}#holder`);
    expect(vc.credentialSubject.identifier[0]).toMatchObject({ identityType: "name", identityHash: "Cora Credential" });
    expect(vc.credentialSubject.achievement).toMatchObject({
      id: `${base}/pathways/dit-practitioner/v1`,
      name: "Fixture Practitioner",
    });
    expect(vc.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" });
    expect(vc.credentialStatus.map((s) => [s.statusPurpose, s.statusListIndex])).toEqual([
      ["revocation", String(cert.revocationIndex)],
      ["suspension", String(cert.suspensionIndex)],
    ]);
    const report = await verifyPresentedCredential(JSON.stringify(vc), { appUrl: base });
    expect(report).toMatchObject({ form: "data-integrity", signatureValid: true });
  });
});

describe("GET /api/v1/certificates/{code}/credential", () => {
  it("is the same credential as a compact JWS (RS256) that verifies with the published JWKS alone", async () => {
    const cert = await makeHolderCertificate();
    const response = await asJwt(cert.code);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vc+jwt");
    const jwt = await response.text();
    const [header, payload, signature] = jwt.split(".") as [string, string, string];
    const { alg, kid } = JSON.parse(Buffer.from(header, "base64url").toString());
    expect(alg).toBe("RS256");
    // Independently of our signing code: node:crypto and the JWKS the route publishes.
    const jwks = JSON.parse(await ((await jwksRoute.loader()) as Response).text()) as { keys: { kid: string }[] };
    const jwk = jwks.keys.find((k) => k.kid === kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
    expect(verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"))).toBe(true);
    const tampered = Buffer.from(payload, "base64url").toString().replace(cert.code, "ATN-2222-2222");
    expect(
      verify(
        "RSA-SHA256",
        Buffer.from(`${header}.${Buffer.from(tampered).toString("base64url")}`),
        key,
        Buffer.from(signature, "base64url"),
      ),
    ).toBe(false);
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const json = (await (await asJson(cert.code)).json()) as Record<string, unknown>;
    const { proof: _proof, ...unsigned } = json;
    expect(claims).toMatchObject(unsigned);
    expect(claims.jti).toBe(`${base}/verify/${cert.code}`);
  });
});

describe("signed once", () => {
  it("serves the same bytes every time, and a status change flips a list bit, never the credential", async () => {
    const cert = await makeHolderCertificate();
    const admin = await makeUser(["ADMIN"]);
    const [json, jwt] = [await (await asJson(cert.code)).text(), await (await asJwt(cert.code)).text()];
    expect(await (await asJson(cert.code)).text()).toBe(json);
    expect(await bit("suspension", cert.suspensionIndex)).toBe(false);

    expect((await changeCertificateStatus(getDb(), { code: cert.code, change: "suspend", reason: "Test", by: admin.id })).ok).toBe(true);
    expect(await (await asJson(cert.code)).text()).toBe(json);
    expect(await (await asJwt(cert.code)).text()).toBe(jwt);
    expect(await bit("suspension", cert.suspensionIndex)).toBe(true);

    expect((await changeCertificateStatus(getDb(), { code: cert.code, change: "revoke", reason: "Test", by: admin.id })).ok).toBe(true);
    expect(await (await asJson(cert.code)).text()).toBe(json);
    expect(await bit("revocation", cert.revocationIndex)).toBe(true);
    expect(await bit("suspension", cert.suspensionIndex)).toBe(false);
    expect(await getDb().signedCredential.count({ where: { certificateId: cert.id } })).toBe(1);
  });

  it("keeps one signed credential when the first requests arrive together", async () => {
    const cert = await makeHolderCertificate();
    const answers = await Promise.all([asJson(cert.code), asJwt(cert.code), asJson(cert.code), asJwt(cert.code), asJson(cert.code)]);
    const texts = await Promise.all(answers.map((r) => r.text()));
    expect(new Set([texts[0], texts[2], texts[4]]).size).toBe(1);
    expect(texts[1]).toBe(texts[3]);
    expect(await getDb().signedCredential.count({ where: { certificateId: cert.id } })).toBe(1);
  });
});

describe("refusals", () => {
  it("answer unknown and malformed codes with 404 and 400 JSON, other methods with 405", async () => {
    for (const get of [asJson, asJwt]) {
      const unknown = await get("ATN-2222-2222");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: "No certificate has the code ATN-2222-2222." });
      const malformed = await get("nope");
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: "That is not a certificate code. Codes look like ATN-7K4Q-92XD." });
    }
    for (const route of [jsonRoute, jwtRoute]) {
      const request = new Request("http://localhost/x", { method: "DELETE" });
      const out = (await route.action({ request, params: { code: "ATN-2222-2222" }, context: testContext() })) as Response;
      expect(out.status).toBe(405);
      expect(out.headers.get("Allow")).toBe("GET, HEAD");
    }
  });
});
