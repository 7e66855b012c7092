import { getDb } from "#app/db.server";

/**
 * What someone with raw database access could do: switch the append-only
 * guard off. Only for tests of tamper detection; each such test file gets its
 * own database (test/setup/db.ts), so no other test sees the damage.
 */
export async function disableAppendOnlyGuard() {
  const db = getDb();
  if ((process.env.DATABASE_URL ?? "").startsWith("file:")) {
    await db.$executeRaw`DROP TRIGGER "AuditEvent_no_update"`;
    await db.$executeRaw`DROP TRIGGER "AuditEvent_no_delete"`;
  } else {
    await db.$executeRaw`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`;
  }
}
