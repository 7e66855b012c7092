import { expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { recordAuditEvent, verifyAuditChain } from "#app/models/audit.server";
import { disableAppendOnlyGuard } from "../support/audit-tamper";

it("a deleted row is found: the row after it no longer links", async () => {
  const db = getDb();
  for (let i = 0; i < 4; i++) await recordAuditEvent(db, { type: "test.event", data: { i } });
  const rows = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
  await disableAppendOnlyGuard();
  await db.auditEvent.delete({ where: { id: rows[1]?.id } });
  expect((await verifyAuditChain(db)).broken).toEqual({ id: rows[2]?.id, reason: "prev-hash-mismatch" });
});
