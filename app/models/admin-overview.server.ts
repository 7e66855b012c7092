// What waits for administrators (the /admin index page): small read-only
// queries, each bounded by `take`, each with its total.
import type { DbTx } from "#app/db.server";

/** People invited but not active yet, oldest invitation first, with the state of their latest link. */
export async function pendingInvitations(db: DbTx, { now = new Date(), take = 10 }: { now?: Date; take?: number } = {}) {
  const where = { status: "INVITED" as const };
  const [rows, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take,
      select: {
        id: true,
        name: true,
        email: true,
        createdAt: true,
        tokens: {
          where: { purpose: "INVITATION", usedAt: null },
          orderBy: { expiresAt: "desc" },
          take: 1,
          select: { expiresAt: true },
        },
      },
    }),
    db.user.count({ where }),
  ]);
  return {
    total,
    people: rows.map(({ tokens, ...person }) => {
      const expiresAt = tokens[0]?.expiresAt ?? null;
      return { ...person, invitedAt: person.createdAt, linkExpiresAt: expiresAt, linkExpired: !expiresAt || expiresAt <= now };
    }),
  };
}

/**
 * People deactivated since `since` and still deactivated, latest first (the
 * date comes from the audit log, which records each deactivation).
 */
export async function recentlyDeactivated(db: DbTx, { since, take = 10 }: { since: Date; take?: number }) {
  const where = { status: "DEACTIVATED" as const };
  const events = await db.auditEvent.findMany({
    where: { type: "user.deactivated", createdAt: { gte: since }, subjectId: { not: null } },
    orderBy: { id: "desc" },
    select: { subjectId: true, createdAt: true },
  });
  const latest = new Map<string, Date>();
  for (const e of events) if (e.subjectId && !latest.has(e.subjectId)) latest.set(e.subjectId, e.createdAt);
  const people = await db.user.findMany({
    where: { ...where, id: { in: [...latest.keys()] } },
    select: { id: true, name: true, email: true },
  });
  const sorted = people
    .map((p) => ({ ...p, deactivatedAt: latest.get(p.id) as Date }))
    .sort((a, b) => b.deactivatedAt.getTime() - a.deactivatedAt.getTime());
  return { total: sorted.length, people: sorted.slice(0, take) };
}

/**
 * Cohorts where some trainee (not deactivated) has no supervisor, or a
 * supervisor whose account is deactivated; with how many such trainees.
 */
export async function cohortsWithUnsupervisedTrainees(db: DbTx, { take = 10 }: { take?: number } = {}) {
  const groups = await db.cohortMember.groupBy({
    by: ["cohortId"],
    where: {
      role: "TRAINEE",
      user: { status: { not: "DEACTIVATED" } },
      OR: [{ supervisorId: null }, { supervisor: { status: "DEACTIVATED" } }],
    },
    _count: { _all: true },
  });
  const cohorts = await db.cohort.findMany({
    where: { id: { in: groups.map((g) => g.cohortId) } },
    orderBy: [{ startsOn: "desc" }, { name: "asc" }],
    take,
    select: { id: true, name: true },
  });
  const counts = new Map(groups.map((g) => [g.cohortId, g._count._all]));
  return { total: groups.length, cohorts: cohorts.map((c) => ({ ...c, trainees: counts.get(c.id) ?? 0 })) };
}
