// The public verification page and JSON API: every status, on both; the refusals (400, 404, 405, 429) as JSON;
// the rate limit shared by two instances on one database.
import { randomInt } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.VERIFY_RATE_LIMIT = "5";
  process.env.VERIFY_RATE_WINDOW_SECONDS = "60";
});

import { createPrisma } from "#app/db.server";
import { rateLimitClient } from "#app/domain/rate-limit";
import { env } from "#app/env.server";
import { hitRateLimit } from "#app/models/rate-limit.server";
import * as api from "#app/routes/api.v1.certificates.$code";
import * as verifyIndex from "#app/routes/verify._index";
import * as page from "#app/routes/verify.$code";
import { verifyRateLimit } from "#app/verification/rate-limit.server";
import { callLoader, testContext } from "../support/app";
import { makeHolderCertificate as makeCertificate } from "../support/certificates";

/** A client address of the test's own, so each test starts with a fresh rate-limit count. */
const freshIp = () => `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}`;
const base = testContext().appUrl;

const lookUpJson = (code: string, ip = freshIp()) => callLoader(api.loader, { path: `/api/v1/certificates/${code}`, params: { code }, ip });
const lookUpPage = (code: string, ip = freshIp()) => callLoader(page.loader, { path: `/verify/${code}`, params: { code }, ip });

describe("GET /api/v1/certificates/{code}", () => {
  it("answers a valid certificate with exactly the public fields", async () => {
    const cert = await makeCertificate({
      holderName: "Ada Lovelace",
      registrationBody: "BACP",
      registrationNumber: "123456",
      issuedAt: new Date("2026-06-01T09:00:00Z"),
      expiresAt: new Date("2029-06-01T09:00:00Z"),
    });
    const out = await lookUpJson(cert.code);
    expect(out.status).toBe(200);
    expect(out.data).toEqual({
      code: cert.code,
      status: "valid",
      holder: { name: "Ada Lovelace", registrationBody: "BACP", registrationNumber: "123456" },
      credential: "Fixture Practitioner",
      issuer: "Attune fixture body",
      issuedAt: "2026-06-01T09:00:00.000Z",
      expiresAt: "2029-06-01T09:00:00.000Z",
      verifyUrl: `${base}/verify/${cert.code}`,
    });
    expect(out.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(out.headers.get("Cache-Control")).toBe("no-store");
    expect(out.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("gives each status: suspended, revoked, expired (expiry outranks suspension), open-ended", async () => {
    const cases = [
      [{ status: "SUSPENDED" as const }, "suspended"],
      [{ status: "REVOKED" as const }, "revoked"],
      [{ expiresAt: new Date("2026-01-01T00:00:00Z") }, "expired"],
      [{ status: "SUSPENDED" as const, expiresAt: new Date("2026-01-01T00:00:00Z") }, "expired"],
      [{ status: "REVOKED" as const, expiresAt: new Date("2026-01-01T00:00:00Z") }, "revoked"],
      [{ expiresAt: null }, "valid"],
    ] as const;
    for (const [over, status] of cases) {
      const cert = await makeCertificate(over);
      const out = await lookUpJson(cert.code);
      expect(out.status, JSON.stringify(over)).toBe(200);
      expect((out.data as { status: string }).status, JSON.stringify(over)).toBe(status);
    }
    const open = await makeCertificate({ expiresAt: null });
    expect((await lookUpJson(open.code)).data).toMatchObject({ expiresAt: null });
  });

  it("accepts a code in any case, with spaces or without dashes, and answers with the canonical code", async () => {
    const cert = await makeCertificate();
    for (const typed of [cert.code.toLowerCase(), cert.code.replace(/-/g, ""), cert.code.replace(/-/g, " ").slice(4)]) {
      const out = await lookUpJson(typed);
      expect(out.status, typed).toBe(200);
      expect((out.data as { code: string }).code).toBe(cert.code);
    }
  });

  it("answers an unknown code with 404 and a malformed one with 400, as JSON { error }", async () => {
    const unknown = await lookUpJson("ATN-2222-2222");
    expect(unknown.status).toBe(404);
    expect(unknown.data).toEqual({ error: "No certificate has the code ATN-2222-2222." });
    expect(unknown.headers.get("Cache-Control")).toBe("no-store");
    for (const bad of ["ATN-0000-0000", "nope", "ATN-7K4Q-92X", "x".repeat(300), "ATN-IIII-LLLL"]) {
      const out = await lookUpJson(bad);
      expect(out.status, bad).toBe(400);
      expect(out.data, bad).toEqual({ error: "That is not a certificate code. Codes look like ATN-7K4Q-92XD." });
    }
  });

  it("refuses other methods with 405 JSON and Allow: GET, HEAD (OPTIONS reaches the loader, the rest the action)", async () => {
    const cert = await makeCertificate();
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const request = new Request(`http://localhost/api/v1/certificates/${cert.code}`, { method });
      const response = await api.action({ request, params: { code: cert.code }, context: testContext(freshIp()) });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("Allow")).toBe("GET, HEAD");
      expect(await response.json()).toEqual({ error: `Method ${method} is not allowed here; use GET.` });
    }
    const options = await callLoader((args) => api.loader({ ...args, request: new Request(args.request.url, { method: "OPTIONS" }) }), {
      path: `/api/v1/certificates/${cert.code}`,
      params: { code: cert.code },
    });
    expect(options.status).toBe(405);
    expect(options.data).toEqual({ error: "Method OPTIONS is not allowed here; use GET." });
  });

  it("rate-limits per client address with 429 JSON and Retry-After, and other addresses go on", async () => {
    const cert = await makeCertificate();
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await lookUpJson(cert.code, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await lookUpJson(cert.code, ip);
    expect(limited.status).toBe(429);
    expect((limited.data as { error: string }).error).toMatch(/^Too many requests from your network\. Try again in \d+ seconds\.$/);
    const retry = Number(limited.headers.get("Retry-After"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    // Malformed and unknown codes count too, so guessing codes is limited as well.
    const other = freshIp();
    for (let i = 0; i < 5; i++) await lookUpJson(i % 2 ? "nope" : "ATN-2222-2222", other);
    expect((await lookUpJson(cert.code, other)).status).toBe(429);
    expect((await lookUpJson(cert.code)).status).toBe(200);
  });
});

describe("the limit across instances", () => {
  const second = createPrisma(env().DATABASE_URL);
  afterAll(() => second.$disconnect());

  it("counts lookups from another instance on the same database against the same address", async () => {
    const cert = await makeCertificate();
    const ip = freshIp();
    // The other instance (its own database client) serves three lookups from this address, this one two more.
    for (let i = 0; i < 3; i++) await hitRateLimit(second, `verify:${rateLimitClient(ip)}`, verifyRateLimit());
    expect((await lookUpJson(cert.code, ip)).status).toBe(200);
    expect((await lookUpPage(cert.code, ip)).status).toBe(200);
    // Both instances now refuse this address.
    expect((await lookUpJson(cert.code, ip)).status).toBe(429);
    expect((await hitRateLimit(second, `verify:${rateLimitClient(ip)}`, verifyRateLimit())).allowed).toBe(false);
  });

  it("treats an IPv6 client's whole /64 as one address", async () => {
    const cert = await makeCertificate();
    const prefix = `2001:db8:${randomInt(1, 0xffff).toString(16)}:1`;
    const statuses = [];
    for (let i = 1; i <= 6; i++) statuses.push((await lookUpJson(cert.code, `${prefix}::${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe("GET /verify/{code} (page)", () => {
  it("shows each status with the holder, registration, credential, issuer and dates, never cached", async () => {
    for (const [over, status] of [
      [{}, "valid"],
      [{ status: "SUSPENDED" as const }, "suspended"],
      [{ status: "REVOKED" as const }, "revoked"],
      [{ expiresAt: new Date("2026-02-01T00:00:00Z") }, "expired"],
    ] as const) {
      const cert = await makeCertificate({ ...over, holderName: "Grace Hopper", registrationBody: "UKCP", registrationNumber: "U-42" });
      const out = await lookUpPage(cert.code);
      expect(out.status).toBe(200);
      expect(out.headers.get("Cache-Control")).toBe("no-store");
      expect(out.data).toMatchObject({
        kind: "found",
        code: cert.code,
        certificate: { status, holder: { name: "Grace Hopper", registrationBody: "UKCP", registrationNumber: "U-42" } },
      });
    }
  });

  it("answers an unknown code with 404, a malformed one with 400, and a typed form with a redirect to the canonical page", async () => {
    const unknown = await lookUpPage("ATN-3333-3333");
    expect(unknown.status).toBe(404);
    expect(unknown.data).toEqual({ kind: "unknown", code: "ATN-3333-3333" });
    const malformed = await lookUpPage("hello");
    expect(malformed.status).toBe(400);
    expect(malformed.data).toEqual({ kind: "malformed", typed: "hello" });
    const cert = await makeCertificate();
    const typed = await lookUpPage(cert.code.toLowerCase());
    expect(typed.status).toBe(302);
    expect(typed.headers.get("Location")).toBe(`/verify/${cert.code}`);
  });

  it("shows a 429 page with Retry-After once the address is over the limit", async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await lookUpPage("ATN-4444-4444", ip);
    const out = await lookUpPage("ATN-4444-4444", ip);
    expect(out.status).toBe(429);
    expect(out.data).toMatchObject({ kind: "limited" });
    expect(Number(out.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("GET /verify (enter a code)", () => {
  const enter = (query: string) => callLoader(verifyIndex.loader, { path: `/verify${query}` });

  it("shows the form, sends a typed code to its canonical page, and says why a bad one is refused", async () => {
    expect(await enter("")).toMatchObject({ status: 200, data: { typed: "", error: null } });
    const go = await enter("?code=atn+7k4q+92xd");
    expect(go.status).toBe(302);
    expect(go.headers.get("Location")).toBe("/verify/ATN-7K4Q-92XD");
    expect(await enter("?code=banana")).toMatchObject({
      status: 400,
      data: { typed: "banana", error: "That is not a certificate code. Codes look like ATN-7K4Q-92XD." },
    });
    expect(await enter("?code=")).toMatchObject({ status: 400, data: { error: "Enter a certificate code." } });
  });
});
