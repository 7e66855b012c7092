// The public register: opted-in certificates only (never revoked ones, never anonymised people), searched by name
// or registration number ignoring case on both databases, paginated, as a page and as JSON.
import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { REGISTER_PAGE_SIZE } from "#app/models/register.server";
import * as api from "#app/routes/api.v1.register";
import * as page from "#app/routes/register";
import { callLoader } from "../support/app";
import { makeHolderCertificate as makeCertificate } from "../support/certificates";

const freshIp = () => `203.0.${randomInt(0, 255)}.${randomInt(1, 254)}`;
const searchJson = (query: string) => callLoader(api.loader, { path: `/api/v1/register${query}`, ip: freshIp() });
const searchPage = (query: string) => callLoader(page.loader, { path: `/register${query}`, ip: freshIp() });

type Page = { total: number; pages: number; page: number; results: { code: string; status: string; holder: { name: string } }[] };

/** A surname no other row of this file's database has. */
const surname = () => `Zq${randomBytes(4).toString("hex")}`;

describe("the public register", () => {
  it("finds opted-in practitioners by name or registration number, ignoring case, with status and dates", async () => {
    const family = surname();
    const listed = await makeCertificate({
      holderName: `Ada ${family}`,
      registrationNumber: `PYL-${family.toUpperCase()}`,
      onRegister: true,
      issuedAt: new Date("2026-05-01T00:00:00Z"),
    });
    const suspended = await makeCertificate({ holderName: `Bea ${family}`, onRegister: true, status: "SUSPENDED" });
    await makeCertificate({ holderName: `Cy ${family}`, onRegister: false });
    await makeCertificate({ holderName: `Di ${family}`, onRegister: true, status: "REVOKED" });

    const byName = await searchJson(`?q=${family.toLowerCase()}`);
    expect(byName.status).toBe(200);
    const found = byName.data as Page;
    expect(found.total).toBe(2);
    expect(found.results.map((r) => [r.code, r.status])).toEqual([
      [listed.code, "valid"],
      [suspended.code, "suspended"],
    ]);
    expect(found.results[0]).toMatchObject({ holder: { name: `Ada ${family}` }, issuedAt: "2026-05-01T00:00:00.000Z" });
    expect(byName.headers.get("Cache-Control")).toBe("no-store");

    for (const q of [family.toUpperCase(), `ada ${family.toLowerCase()}`, `pyl-${family.toLowerCase()}`, `${family.toUpperCase()} ADA`]) {
      const out = (await searchJson(`?q=${encodeURIComponent(q)}`)).data as Page;
      expect(
        out.results.map((r) => r.code),
        q,
      ).toContain(listed.code);
    }
    // Every word must match.
    expect(((await searchJson(`?q=${family}+nobody`)).data as Page).total).toBe(0);
  });

  it("leaves out people who were anonymised", async () => {
    const family = surname();
    const cert = await makeCertificate({ holderName: `Eve ${family}`, onRegister: true });
    expect(((await searchJson(`?q=${family}`)).data as Page).total).toBe(1);
    await getDb().user.update({ where: { id: cert.holderId }, data: { anonymisedAt: new Date(), status: "DEACTIVATED" } });
    expect(((await searchJson(`?q=${family}`)).data as Page).total).toBe(0);
  });

  it("pages through results in name order", async () => {
    const family = surname();
    for (let i = 0; i < REGISTER_PAGE_SIZE + 2; i++) {
      await makeCertificate({ holderName: `${String.fromCharCode(65 + (i % 26))}${i} ${family}`, onRegister: true });
    }
    const first = (await searchJson(`?q=${family}`)).data as Page;
    expect(first).toMatchObject({ total: REGISTER_PAGE_SIZE + 2, pages: 2, page: 1 });
    expect(first.results).toHaveLength(REGISTER_PAGE_SIZE);
    const names = first.results.map((r) => r.holder.name);
    expect(names).toEqual([...names].sort());
    const second = (await searchJson(`?q=${family}&page=2`)).data as Page;
    expect(second.results).toHaveLength(2);
    expect(second.results.map((r) => r.code)).not.toContain(first.results[0]?.code);
  });

  it("refuses a bad page or an over-long query with 400 JSON", async () => {
    for (const query of ["?page=0", "?page=two", "?page=1.5", `?q=${"x".repeat(101)}`]) {
      const out = await searchJson(query);
      expect(out.status, query).toBe(400);
      expect(typeof (out.data as { error: unknown }).error, query).toBe("string");
    }
  });

  it("serves the same search as a page, with the query's errors as field errors", async () => {
    const family = surname();
    const cert = await makeCertificate({ holderName: `Flo ${family}`, onRegister: true });
    const out = await searchPage(`?q=${family}`);
    expect(out.status).toBe(200);
    expect(out.data).toMatchObject({ kind: "page", total: 1, results: [{ code: cert.code, status: "valid" }] });
    const bad = await searchPage("?page=-1");
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ kind: "invalid", errors: { page: "The page must be 1 or more" } });
  });
});

describe("/register/{code} (the credential subject's id)", () => {
  it("answers with the certificate's verification page, or the register for something that is not a code", async () => {
    const { loader } = await import("#app/routes/register.$code");
    const to = async (code: string) => (await callLoader(loader, { path: `/register/${code}`, params: { code } })).headers.get("Location");
    expect(await to("atn-7k4q-92xd")).toBe("/verify/ATN-7K4Q-92XD");
    expect(await to("nonsense")).toBe("/register");
  });
});
