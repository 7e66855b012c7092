// SQLite with two connections on one file, as two app processes would have.
import Database from "better-sqlite3";
import { describe, expect, inject, it } from "vitest";
import { getDb } from "#app/db.server";
import { appendAuditEvent, audited } from "#app/models/audit.server";

const sqlite = inject("dbKind") === "sqlite";

describe.runIf(sqlite)("audited writes on a SQLite file another process writes to", () => {
  it("retries SQLITE_BUSY_SNAPSHOT: another connection committed after this transaction had read", async () => {
    const db = getDb();
    const file = (process.env.DATABASE_URL ?? "").slice("file:".length);
    const other = new Database(file, { timeout: 5000 });
    const type = `test.busy_snapshot.${Date.now()}`;
    const retried: string[] = [];
    let runs = 0;
    try {
      await audited(
        db,
        async (tx) => {
          runs++;
          await tx.user.count(); // this transaction now reads from a snapshot
          if (runs === 1) {
            // The other process signs someone in meanwhile (commits at once).
            other
              .prepare(`INSERT INTO "LoginAttempt" ("accountKey", "ip", "succeeded", "createdAt") VALUES (?, ?, 1, ?)`)
              .run("other-process", "10.0.0.1", Date.now());
          }
          await appendAuditEvent(tx, { type }); // the write: the snapshot is stale
        },
        { onRetry: (error) => retried.push(String((error as { code?: string }).code ?? "") + String(error)) },
      );
    } finally {
      other.close();
    }
    expect(runs).toBe(2);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatch(/SQLITE_BUSY_SNAPSHOT/);
    expect(await db.auditEvent.count({ where: { type } })).toBe(1);
    expect(await db.loginAttempt.count({ where: { accountKey: "other-process" } })).toBe(1);
  });
});
