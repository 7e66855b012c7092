import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { getDb } from "#app/db.server";
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

it("an edited row is found by verifyAuditChain and by `npm run audit:verify` (exit 1)", async () => {
  const db = getDb();
  for (let i = 0; i < 6; i++) await recordAuditEvent(db, { type: "test.event", data: { i } });
  expect(auditVerify()).toEqual({ status: 0, out: expect.stringMatching(/chain intact \(6 events in 1 lane\)/) });

  const rows = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
  const target = rows[3];
  await disableAppendOnlyGuard();
  await db.auditEvent.update({ where: { id: target?.id }, data: { data: JSON.stringify({ i: 999 }) } });

  expect(await verifyAuditChain(db)).toEqual({
    checked: 3,
    broken: { id: target?.id, reason: "hash-mismatch" },
    heads: [{ lane: 0, hash: rows[2]?.hash }],
  });
  const cli = auditVerify();
  expect(cli.status).toBe(1);
  expect(cli.out).toMatch(new RegExp(`BROKEN at event #${target?.id}: its contents do not match its hash`));
});
