// The accreditor's side: an administrator links an accreditor to a body; the dashboard lists that body's
// practitioners (however the body's name was typed on their details), counts them by status, filters and searches.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import * as dashboard from "#app/routes/accreditor._index";
import * as person from "#app/routes/admin.users.$userId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import { makeHolderCertificate } from "../support/certificates";

type Page = {
  kind: string;
  body: string;
  counts: Record<string, number>;
  total: number;
  results: { code: string; status: string; holder: { name: string } }[];
};

const body = () => `B${randomBytes(4).toString("hex").toUpperCase()}`;

describe("linking an accreditor to a body", () => {
  it("is an administrator's: stored upper-cased, audited, and cleared with an empty value", async () => {
    const admin = await makeUser(["ADMIN"]);
    const accreditor = await makeUser(["ACCREDITOR"]);
    const cookie = await cookieFor(admin.id);
    const set = (value: string) =>
      callAction(person.action, {
        path: `/admin/users/${accreditor.id}`,
        params: { userId: accreditor.id },
        cookie,
        form: { intent: "accrediting-body", accreditingBody: value },
      });
    expect((await set("  ukcp ")).data).toEqual({ notice: "Accrediting body saved." });
    const row = () => getDb().user.findUniqueOrThrow({ where: { id: accreditor.id }, select: { accreditingBody: true } });
    expect((await row()).accreditingBody).toBe("UKCP");
    const event = await getDb().auditEvent.findFirst({ where: { type: "user.accrediting_body_changed", subjectId: accreditor.id } });
    expect(JSON.parse(event?.data ?? "{}")).toEqual({ accreditingBody: "UKCP" });
    expect((await set("")).data).toEqual({ notice: "Accrediting body removed." });
    expect((await row()).accreditingBody).toBeNull();
    expect((await set("x".repeat(101))).status).toBe(400);
    const page = await callLoader(person.loader, { path: `/admin/users/${accreditor.id}`, params: { userId: accreditor.id }, cookie });
    expect(page.data).toMatchObject({ user: { accreditingBody: null } });
  });
});

describe("the accreditor dashboard", () => {
  it("lists the body's certificates by status, however the body was typed, and nobody else's", async () => {
    const mine = body();
    const accreditor = await makeUser(["ACCREDITOR"]);
    await getDb().user.update({ where: { id: accreditor.id }, data: { accreditingBody: mine } });
    const cookie = await cookieFor(accreditor.id);
    const valid = await makeHolderCertificate({ holderName: "Val Body", registrationBody: mine });
    const suspended = await makeHolderCertificate({
      holderName: "Sus Body",
      registrationBody: ` ${mine.toLowerCase()} `,
      status: "SUSPENDED",
    });
    const revoked = await makeHolderCertificate({ holderName: "Rev Body", registrationBody: mine, status: "REVOKED" });
    const expired = await makeHolderCertificate({
      holderName: "Exp Body",
      registrationBody: mine,
      issuedAt: new Date("2024-01-01"),
      expiresAt: new Date("2025-01-01"),
    });
    await makeHolderCertificate({ holderName: "Other Body", registrationBody: `${mine}X` });

    const load = async (query = "") => (await callLoader(dashboard.loader, { path: `/accreditor${query}`, cookie })).data as Page;
    const all = await load();
    expect(all.body).toBe(mine);
    expect(all.counts).toEqual({ valid: 1, suspended: 1, revoked: 1, expired: 1 });
    expect(all.results.map((r) => [r.holder.name, r.status])).toEqual([
      ["Exp Body", "expired"],
      ["Rev Body", "revoked"],
      ["Sus Body", "suspended"],
      ["Val Body", "valid"],
    ]);
    expect((await load("?status=suspended")).results.map((r) => r.code)).toEqual([suspended.code]);
    expect((await load("?status=expired")).results.map((r) => r.code)).toEqual([expired.code]);
    expect((await load("?status=revoked")).results.map((r) => r.code)).toEqual([revoked.code]);
    expect((await load("?q=val")).results.map((r) => r.code)).toEqual([valid.code]);
    const bad = await callLoader(dashboard.loader, { path: "/accreditor?status=great", cookie });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ kind: "invalid", errors: { status: "Choose a status from the list" } });
  });

  it("says so, and lists nobody, when the accreditor is linked to no body", async () => {
    const accreditor = await makeUser(["ACCREDITOR"]);
    const out = await callLoader(dashboard.loader, { path: "/accreditor", cookie: await cookieFor(accreditor.id) });
    expect(out.data).toEqual({ kind: "unlinked" });
  });
});
