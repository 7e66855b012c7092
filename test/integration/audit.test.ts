// Every test writes events of its own type (or its own people) and asserts
// on those alone, so the tests pass in any order (`--sequence.shuffle`).
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { getDb } from "#app/db.server";
import { auditHash, laneGenesis } from "#app/domain/audit-chain";
import { appendAuditEvent, audited, recordAuditEvent, verifyAuditChain } from "#app/models/audit.server";
import * as auditPage from "#app/routes/admin.audit";
import { callLoader, cookieFor, makeUser } from "../support/app";

const postgres = inject("dbKind") === "postgresql";
const uniqueType = (name: string) => `test.${name}.${randomBytes(4).toString("hex")}`;

async function expectAppendOnlyRefusal(attempt: Promise<unknown>) {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  // The trigger's message travels in the driver error Prisma wraps.
  expect(JSON.stringify(error) + String(error)).toMatch(/append-only/);
}

describe("audit log", () => {
  it("chains each event to the one before it in its lane, hashing exactly its fields", async () => {
    const db = getDb();
    const type = uniqueType("chain");
    for (let i = 0; i < 5; i++) await recordAuditEvent(db, { type, actorId: "actor-x", data: { i } });
    const events = await db.auditEvent.findMany({ where: { type }, orderBy: { id: "asc" } });
    expect(events.map((e) => JSON.parse(e.data))).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    // One writer at a time: every event lands in lane 0, one after another.
    expect(events.map((e) => e.lane)).toEqual([0, 0, 0, 0, 0]);
    const before = await db.auditEvent.findFirst({ where: { lane: 0, id: { lt: events[0]?.id } }, orderBy: { id: "desc" } });
    expect(events[0]?.prevHash).toBe(before?.hash ?? laneGenesis(0));
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    for (const e of events) expect(e.hash).toBe(auditHash(e.prevHash, e));
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it("keeps every lane unbroken when 25 events are written at once", async () => {
    const db = getDb();
    const type = uniqueType("concurrent");
    await Promise.all(Array.from({ length: 25 }, (_, i) => recordAuditEvent(db, { type, data: { i } })));
    const report = await verifyAuditChain(db, 7);
    expect(report.broken).toBeNull();
    const events = await db.auditEvent.findMany({ where: { type }, select: { data: true } });
    expect(events.map((e) => JSON.parse(e.data).i).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it.runIf(postgres)("on PostgreSQL a writer does not wait for another's lane: it takes the next free one", async () => {
    const db = getDb();
    const type = uniqueType("lanes");
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let holding = () => {};
    const holdingLane = new Promise<void>((r) => {
      holding = r;
    });
    // A holds its lane until B has finished; if B queued behind A this would never end.
    const a = audited(db, async (tx) => {
      await appendAuditEvent(tx, { type, data: { who: "a" } });
      holding();
      await held;
    });
    await holdingLane;
    await recordAuditEvent(db, { type, data: { who: "b" } });
    release();
    await a;
    const events = await db.auditEvent.findMany({ where: { type }, orderBy: { id: "asc" } });
    const lanes = Object.fromEntries(events.map((e) => [JSON.parse(e.data).who, e.lane]));
    expect(lanes.a).not.toBe(lanes.b);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it.runIf(postgres)("on PostgreSQL a transaction keeps its lane for every event, even when a lower one comes free", async () => {
    const db = getDb();
    const type = uniqueType("keep_lane");
    let releaseA = () => {};
    const aHeld = new Promise<void>((r) => {
      releaseA = r;
    });
    let aHolding = () => {};
    const aHoldsLane = new Promise<void>((r) => {
      aHolding = r;
    });
    const a = audited(db, async (tx) => {
      await appendAuditEvent(tx, { type, data: { who: "a" } });
      aHolding();
      await aHeld;
    });
    await aHoldsLane;
    await audited(db, async (tx) => {
      await appendAuditEvent(tx, { type, data: { who: "b1" } }); // A holds the lowest lane: B takes another
      releaseA();
      await a; // A's lane is free again
      await appendAuditEvent(tx, { type, data: { who: "b2" } });
    });
    const events = await db.auditEvent.findMany({ where: { type }, orderBy: { id: "asc" } });
    const byWho = Object.fromEntries(events.map((e) => [JSON.parse(e.data).who, e]));
    expect(byWho.b1?.lane).not.toBe(byWho.a?.lane);
    expect(byWho.b2?.lane).toBe(byWho.b1?.lane);
    expect(byWho.b2?.prevHash).toBe(byWho.b1?.hash);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it("refuses to append outside a transaction", async () => {
    await expect(appendAuditEvent(getDb(), { type: "test.no_tx" })).rejects.toThrow(/inside a transaction/);
  });

  it("keeps the events of one transaction in one lane, in order", async () => {
    const db = getDb();
    const type = uniqueType("one_tx");
    await audited(db, async (tx) => {
      for (let i = 0; i < 3; i++) await appendAuditEvent(tx, { type, data: { i } });
    });
    const events = await db.auditEvent.findMany({ where: { type }, orderBy: { id: "asc" } });
    expect(new Set(events.map((e) => e.lane)).size).toBe(1);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events[2]?.prevHash).toBe(events[1]?.hash);
  });

  it("refuses updates and deletes at the database", async () => {
    const db = getDb();
    const type = uniqueType("guarded");
    await recordAuditEvent(db, { type });
    await expectAppendOnlyRefusal(db.auditEvent.updateMany({ where: { type }, data: { type: "test.changed" } }));
    await expectAppendOnlyRefusal(db.auditEvent.deleteMany({ where: { type } }));
    expect(await db.auditEvent.count({ where: { type } })).toBe(1);
  });

  it("the audit page is for admins, and shows events newest first with people's names", async () => {
    const admin = await makeUser(["ADMIN"], { name: "Audit Admin" });
    const moderator = await makeUser(["MODERATOR"], { name: "Audit Moderator" });
    expect((await callLoader(auditPage.loader, { path: "/admin/audit", cookie: await cookieFor(moderator.id) })).status).toBe(403);
    const page = await callLoader(auditPage.loader, { path: "/admin/audit?type=user.created", cookie: await cookieFor(admin.id) });
    const events = (page.data as { events: { id: number; type: string; subject: string; actor: string }[] }).events;
    expect(events.every((e) => e.type === "user.created")).toBe(true);
    // The two newest user.created events are this test's, the moderator's last.
    expect(events.slice(0, 2).map((e) => ({ subject: e.subject, actor: e.actor }))).toEqual([
      { subject: "Audit Moderator", actor: "—" },
      { subject: "Audit Admin", actor: "—" },
    ]);
    expect((events[0]?.id ?? 0) > (events[1]?.id ?? 0)).toBe(true);
  });

  it("pages back through older events by id", async () => {
    const db = getDb();
    const admin = await makeUser(["ADMIN"]);
    const type = uniqueType("paged").replace(/[0-9]/g, "x");
    for (let i = 0; i < 3; i++) await recordAuditEvent(db, { type, data: { i } });
    const ids = (await db.auditEvent.findMany({ where: { type }, orderBy: { id: "asc" } })).map((e) => e.id);
    const page = await callLoader(auditPage.loader, {
      path: `/admin/audit?type=${type}&before=${ids[2]}`,
      cookie: await cookieFor(admin.id),
    });
    expect((page.data as { events: { id: number }[] }).events.map((e) => e.id)).toEqual([ids[1], ids[0]]);
  });
});
