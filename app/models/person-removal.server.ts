import type { Db, DbTx } from "#app/db.server";
import { appendAuditEvent, audited } from "#app/models/audit.server";
import { searchKeyFor } from "#app/models/user.server";

/**
 * Removing a person is anonymisation, never deletion (ADR 0013): their
 * evidence — quiz attempts and marks, module progress, cohort membership and
 * supervision, audit events — stays and keeps pointing at the same row, while
 * everything that identifies them or lets them sign in goes.
 */

export type AnonymiseError = "not-found" | "self" | "last-admin" | "already-anonymised";

/** A unique address in the reserved `.invalid` domain (RFC 2606): no mail can ever reach it. */
export function anonymisedEmail(userId: string): string {
  return `anonymised-${userId.toLowerCase()}@attune.invalid`;
}

export function anonymisedName(userId: string): string {
  return `Anonymised person ${userId.slice(-6)}`;
}

/**
 * Replaces name, email, search key and registration details, clears the
 * password, deactivates the account for good, ends its sessions, deletes its
 * one-time links, roles and private journal, and records `user.anonymised` —
 * in one transaction. Refused for oneself and for the last active admin.
 */
export async function anonymisePerson(
  db: Db,
  { userId, by }: { userId: string; by: string | null },
  now = new Date(),
): Promise<{ ok: true } | { ok: false; error: AnonymiseError }> {
  if (userId === by) return { ok: false, error: "self" };
  return audited(db, async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { status: true, anonymisedAt: true, roles: { select: { role: true } } },
    });
    if (!user) return { ok: false as const, error: "not-found" as const };
    if (user.anonymisedAt) return { ok: false as const, error: "already-anonymised" as const };
    if (user.status === "ACTIVE" && user.roles.some((r) => r.role === "ADMIN")) {
      const others = await tx.user.count({ where: { id: { not: userId }, status: "ACTIVE", roles: { some: { role: "ADMIN" } } } });
      if (others === 0) return { ok: false as const, error: "last-admin" as const };
    }
    const name = anonymisedName(userId);
    const email = anonymisedEmail(userId);
    await tx.user.update({
      where: { id: userId },
      data: {
        name,
        email,
        searchKey: searchKeyFor(name, email),
        passwordHash: null,
        registrationBody: null,
        registrationNumber: null,
        status: "DEACTIVATED",
        anonymisedAt: now,
      },
    });
    await tx.session.deleteMany({ where: { userId } });
    await tx.accountToken.deleteMany({ where: { userId } });
    await tx.userRole.deleteMany({ where: { userId } });
    // The journal is the person's own private writing, not evidence.
    await tx.journalEntry.deleteMany({ where: { userId } });
    await appendAuditEvent(tx, { type: "user.anonymised", actorId: by, subjectId: userId, data: { roles: user.roles.map((r) => r.role) } });
    return { ok: true as const };
  });
}

/** When the person was anonymised, or null (also for an unknown id). */
export async function getAnonymisedAt(db: DbTx, userId: string): Promise<Date | null> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { anonymisedAt: true } });
  return row?.anonymisedAt ?? null;
}
