// SQLite with two connections on one file, as two app processes would have.
import Database from "better-sqlite3";
import { describe, expect, inject, it } from "vitest";
import { getDb } from "#app/db.server";
import { appendAuditEvent, audited, isRetryableAuditError } from "#app/models/audit.server";

const sqlite = inject("dbKind") === "sqlite";
const file = () => (process.env.DATABASE_URL ?? "").slice("file:".length);
const insertAttempt = (other: Database.Database, key: string) =>
  other
    .prepare(`INSERT INTO "LoginAttempt" ("accountKey", "ip", "succeeded", "createdAt") VALUES (?, ?, 1, ?)`)
    .run(key, "10.0.0.1", Date.now());

describe.runIf(sqlite)("audited writes on a SQLite file another process writes to", () => {
  it("a plain transaction that read before another process committed fails with SQLITE_BUSY_SNAPSHOT, which audited retries", async () => {
    const db = getDb();
    const other = new Database(file(), { timeout: 5000 });
    const error = await db
      .$transaction(async (tx) => {
        await tx.user.count(); // reads from a snapshot
        insertAttempt(other, "other-process-1"); // the other process commits meanwhile
        await tx.loginAttempt.create({ data: { accountKey: "this-process", ip: "10.0.0.2", succeeded: true } }); // stale: may not write
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    other.close();
    expect(JSON.stringify(error) + String(error)).toMatch(/SQLITE_BUSY_SNAPSHOT/);
    expect(isRetryableAuditError(error)).toBe(true);
    expect(await db.loginAttempt.count({ where: { accountKey: "this-process" } })).toBe(0);
  });

  it("an audited transaction is the writer from its first statement, so it never reads a stale snapshot", async () => {
    const db = getDb();
    const other = new Database(file(), { timeout: 0 });
    const type = `test.write_first.${Date.now()}`;
    const otherErrors: string[] = [];
    let runs = 0;
    let retries = 0;
    try {
      await audited(
        db,
        async (tx) => {
          runs++;
          await tx.user.count();
          try {
            insertAttempt(other, "other-process-2"); // must wait for us: refused at once with timeout 0
          } catch (e) {
            otherErrors.push((e as { code: string }).code);
          }
          await appendAuditEvent(tx, { type });
        },
        { onRetry: () => retries++ },
      );
      insertAttempt(other, "other-process-2"); // and gets in once we have committed
    } finally {
      other.close();
    }
    expect({ runs, retries, otherErrors }).toEqual({ runs: 1, retries: 0, otherErrors: ["SQLITE_BUSY"] });
    expect(await db.auditEvent.count({ where: { type } })).toBe(1);
    expect(await db.loginAttempt.count({ where: { accountKey: "other-process-2" } })).toBe(1);
  });
});
