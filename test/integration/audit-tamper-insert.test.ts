import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { auditHash } from "#app/domain/audit-chain";
import { recordAuditEvent, verifyAuditChain } from "#app/models/audit.server";
import { disableAppendOnlyGuard } from "../support/audit-tamper";

function auditVerify(): { status: number; out: string } {
  try {
    const out = execFileSync("node_modules/.bin/tsx", ["scripts/audit-verify.ts"], { env: process.env, encoding: "utf8", stdio: "pipe" });
    return { status: 0, out };
  } catch (error) {
    const e = error as { status: number; stderr: string };
    return { status: e.status, out: e.stderr };
  }
}

it("an inserted row is found: it does not link to the row before it in its lane", async () => {
  const db = getDb();
  for (let i = 0; i < 4; i++) await recordAuditEvent(db, { type: "test.event", data: { i } });
  const rows = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
  await disableAppendOnlyGuard();
  // A forged event slipped in after rows[1], with a self-consistent hash; the unique index on prevHash is dropped to let it in.
  await db.$executeRaw`DROP INDEX "AuditEvent_prevHash_key"`;
  const fields = { createdAt: new Date(), type: "user.roles_changed", actorId: "forger", subjectId: "victim", data: '{"to":["ADMIN"]}' };
  const prevHash = rows[1]?.hash as string;
  const forged = await db.auditEvent.create({ data: { ...fields, lane: 0, prevHash, hash: auditHash(prevHash, fields) } });
  expect(await verifyAuditChain(db)).toMatchObject({ checked: 4, broken: { id: forged.id, reason: "prev-hash-mismatch" } });
  const cli = auditVerify();
  expect(cli.status).toBe(1);
  expect(cli.out).toMatch(new RegExp(`BROKEN at event #${forged.id}: does not link to the row before it in its lane`));
});
