// The public page where anyone pastes or uploads a credential (/verify/credential): its action, as a browser
// without JavaScript would call it — urlencoded paste, multipart upload — and its refusals.
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { credentialBaseUrl } from "#app/credentials/issuer.server";
import { buildOpenBadgeCredential, signCredentialDataIntegrity, signCredentialJwt } from "#app/credentials/open-badge.server";
import { getDb } from "#app/db.server";
import { allocateStatusIndexes, setStatus } from "#app/models/status-list.server";
import { action } from "#app/routes/verify.credential";
import { callAction, testContext } from "../support/app";

const base = credentialBaseUrl();
// Every check counts against the client's address (VERIFY_RATE_LIMIT): each call its own address, but the limit's test.
const freshIp = () => `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}`;

async function credential() {
  const status = await getDb().$transaction((tx) => allocateStatusIndexes(tx));
  const unsigned = buildOpenBadgeCredential({
    code: "ATN-PAGE-TEST",
    verifyUrl: `${base}/verify/ATN-PAGE-TEST`,
    holder: { id: `urn:uuid:${crypto.randomUUID()}`, name: "Page Person" },
    achievement: { id: `${base}/achievements/x`, name: "DIT Practitioner", description: "Certified.", criteria: "The pathway." },
    issuedAt: new Date("2026-06-01T00:00:00Z"),
    expiresAt: new Date("2030-06-01T00:00:00Z"),
    status,
  });
  return { unsigned, status, signed: await signCredentialDataIntegrity(unsigned), jwt: await signCredentialJwt(unsigned) };
}

type Report = { form: string; valid: boolean; signatureValid: boolean; status: { revoked: boolean | null; suspended: boolean | null } };

type Answer = { status: number; report?: Report; errors?: Record<string, string>; error?: string };

async function upload(body: FormData | string, contentType?: string): Promise<Answer> {
  const headers = new Headers(contentType ? { "Content-Type": contentType } : {});
  const request = new Request("http://localhost/verify/credential", { method: "POST", body, headers });
  try {
    const out = (await action({ request, params: {}, context: testContext(freshIp()) })) as {
      data: { report?: Report; errors?: Record<string, string> };
      init: ResponseInit | null;
    };
    return { status: out.init?.status ?? 200, ...out.data };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, error: ((await thrown.json()) as { error: string }).error };
    throw thrown;
  }
}

describe("/verify/credential", () => {
  it("checks pasted JSON and a pasted JWT (a plain form post)", async () => {
    const { signed, jwt } = await credential();
    for (const [text, form] of [
      [JSON.stringify(signed, null, 2), "data-integrity"],
      [`  ${jwt}\n`, "jwt"],
    ] as const) {
      const out = await callAction(action, { path: "/verify/credential", ip: freshIp(), form: { credential: text } });
      expect(out.status).toBe(200);
      expect((out.data as { report: Report }).report).toMatchObject({ form, valid: true, signatureValid: true });
    }
  });

  it("checks an uploaded file (multipart), in place of any pasted text", async () => {
    const { signed, status } = await credential();
    await setStatus("revocation", status.revocationIndex, true);
    const form = new FormData();
    form.set("credential", "");
    form.set("file", new File([JSON.stringify(signed)], "credential.json", { type: "application/json" }));
    const out = await upload(form);
    expect(out.status).toBe(200);
    expect(out.report).toMatchObject({
      form: "data-integrity",
      signatureValid: true,
      valid: false,
      status: { revoked: true, suspended: false },
    });
  });

  it("says what is wrong: nothing sent, a file too large, pasted text too large, not a form", async () => {
    const empty = await callAction(action, { path: "/verify/credential", ip: freshIp(), form: { credential: "   " } });
    expect(empty.status).toBe(400);
    expect(empty.data).toEqual({ errors: { credential: "Paste a credential, or choose a file." } });

    const big = new FormData();
    big.set("file", new File(["x".repeat(101 * 1024)], "big.json"));
    expect(await upload(big)).toMatchObject({ status: 400, errors: { file: expect.stringMatching(/larger than 100 KiB/) } });

    const long = await callAction(action, { path: "/verify/credential", ip: freshIp(), form: { credential: "y".repeat(101 * 1024) } });
    expect(long.status).toBe(400);
    expect(long.data).toEqual({ errors: { credential: "Paste at most 100 KiB." } });

    expect(await upload("{}", "application/json")).toMatchObject({ status: 415, error: expect.any(String) });
  });

  it("reports a tampered credential as not valid rather than failing", async () => {
    const { signed } = await credential();
    const tampered = JSON.stringify(signed).replace("Page Person", "Page Persom");
    const out = await callAction(action, { path: "/verify/credential", ip: freshIp(), form: { credential: tampered } });
    expect(out.status).toBe(200);
    expect((out.data as { report: Report }).report).toMatchObject({ signatureValid: false, valid: false });
  });

  it("is rate-limited per client address like every public lookup: 429 with Retry-After and a message", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    // The default limit: 60 per minute. Empty submissions are cheap and count all the same.
    for (let i = 0; i < 61; i++)
      statuses.push((await callAction(action, { path: "/verify/credential", ip, form: { credential: "" } })).status);
    expect(statuses.slice(0, 60).every((s) => s === 400)).toBe(true);
    expect(statuses[60]).toBe(429);
    const limited = await callAction(action, { path: "/verify/credential", ip, form: { credential: "" } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect((limited.data as { errors: { form: string } }).errors.form).toMatch(
      /^Too many checks from your network\. Try again in \d+ seconds\.$/,
    );
    // Another address goes on.
    expect((await callAction(action, { path: "/verify/credential", ip: freshIp(), form: { credential: "" } })).status).toBe(400);
  });
});
