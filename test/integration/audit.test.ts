import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { GENESIS_HASH } from "#app/domain/audit-chain";
import { recordAuditEvent, verifyAuditChain } from "#app/models/audit.server";
import * as auditPage from "#app/routes/admin.audit";
import { callLoader, cookieFor, makeUser } from "../support/app";

async function expectAppendOnlyRefusal(attempt: Promise<unknown>) {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  // The trigger's message travels in the driver error Prisma wraps.
  expect(JSON.stringify(error) + String(error)).toMatch(/append-only/);
}

describe("audit log", () => {
  it("chains every event to the one before", async () => {
    const db = getDb();
    for (let i = 0; i < 5; i++) await recordAuditEvent(db, { type: "test.event", data: { i } });
    const events = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    expect(await verifyAuditChain(db)).toEqual({ checked: events.length, broken: null });
  });

  it("keeps one unbroken chain when many events are written at once", async () => {
    const db = getDb();
    await Promise.all(Array.from({ length: 25 }, (_, i) => recordAuditEvent(db, { type: "test.concurrent", data: { i } })));
    const report = await verifyAuditChain(db, 7);
    expect(report.broken).toBeNull();
    expect(await db.auditEvent.count({ where: { type: "test.concurrent" } })).toBe(25);
  });

  it("refuses updates and deletes at the database", async () => {
    const db = getDb();
    await recordAuditEvent(db, { type: "test.guarded" });
    await expectAppendOnlyRefusal(db.auditEvent.updateMany({ data: { type: "test.changed" } }));
    await expectAppendOnlyRefusal(db.auditEvent.deleteMany({}));
    expect(await db.auditEvent.count({ where: { type: "test.guarded" } })).toBe(1);
  });

  it("the audit page is for admins, and shows events newest first", async () => {
    const admin = await makeUser(["ADMIN"]);
    const moderator = await makeUser(["MODERATOR"]);
    expect((await callLoader(auditPage.loader, { path: "/admin/audit", cookie: await cookieFor(moderator.id) })).status).toBe(403);
    const page = await callLoader(auditPage.loader, { path: "/admin/audit?type=user.created", cookie: await cookieFor(admin.id) });
    const events = (page.data as { events: { id: number; type: string }[] }).events;
    expect(events.length).toBe(2);
    expect(events.every((e) => e.type === "user.created")).toBe(true);
    expect((events[0]?.id ?? 0) > (events[1]?.id ?? 0)).toBe(true);
  });
});
