import type { Db, DbTx } from "#app/db.server";
import type { CohortRole } from "#app/generated/prisma/enums";
import { appendAuditEvent, audited } from "#app/models/audit.server";

export async function listCohorts(db: DbTx) {
  const rows = await db.cohort.findMany({
    orderBy: [{ startsOn: "desc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      startsOn: true,
      endsOn: true,
      members: { select: { role: true } },
    },
  });
  return rows.map(({ members, ...c }) => ({
    ...c,
    trainees: members.filter((m) => m.role === "TRAINEE").length,
    trainers: members.filter((m) => m.role === "TRAINER").length,
  }));
}

export async function getCohort(db: DbTx, id: string) {
  return db.cohort.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      startsOn: true,
      endsOn: true,
      members: {
        orderBy: { user: { name: "asc" } },
        select: {
          id: true,
          role: true,
          user: { select: { id: true, name: true, email: true, status: true } },
          supervisor: { select: { id: true, name: true } },
        },
      },
    },
  });
}

export type CohortInput = { name: string; startsOn: Date; endsOn: Date | null };

export async function createCohort(
  db: Db,
  input: CohortInput & { by: string },
): Promise<{ ok: true; id: string } | { ok: false; error: "name-taken" }> {
  const taken = await db.cohort.findUnique({ where: { name: input.name }, select: { id: true } });
  if (taken) return { ok: false, error: "name-taken" };
  return audited(db, async (tx) => {
    const cohort = await tx.cohort.create({
      data: { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn },
      select: { id: true },
    });
    await appendAuditEvent(tx, { type: "cohort.created", actorId: input.by, subjectId: cohort.id, data: { name: input.name } });
    return { ok: true as const, id: cohort.id };
  });
}

export async function updateCohort(
  db: Db,
  id: string,
  input: CohortInput & { by: string },
): Promise<{ ok: true } | { ok: false; error: "name-taken" | "not-found" }> {
  const taken = await db.cohort.findUnique({ where: { name: input.name }, select: { id: true } });
  if (taken && taken.id !== id) return { ok: false, error: "name-taken" };
  return audited(db, async (tx) => {
    const { count } = await tx.cohort.updateMany({
      where: { id },
      data: { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn },
    });
    if (count === 0) return { ok: false as const, error: "not-found" as const };
    await appendAuditEvent(tx, { type: "cohort.updated", actorId: input.by, subjectId: id });
    return { ok: true as const };
  });
}

export type MemberError = "not-found" | "wrong-role" | "already-member" | "bad-supervisor";

/**
 * Adds a trainee (optionally with a supervising trainer of the same cohort)
 * or a trainer. The person must hold the matching account role.
 */
export async function addCohortMember(
  db: Db,
  {
    cohortId,
    userId,
    role,
    supervisorId,
    by,
  }: { cohortId: string; userId: string; role: CohortRole; supervisorId: string | null; by: string },
): Promise<{ ok: true } | { ok: false; error: MemberError }> {
  return audited(db, async (tx) => {
    const [cohort, user, existing] = await Promise.all([
      tx.cohort.findUnique({ where: { id: cohortId }, select: { id: true } }),
      tx.user.findUnique({ where: { id: userId }, select: { roles: { select: { role: true } } } }),
      tx.cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId } }, select: { id: true } }),
    ]);
    if (!cohort || !user) return { ok: false as const, error: "not-found" as const };
    if (!user.roles.some((r) => r.role === role)) return { ok: false as const, error: "wrong-role" as const };
    if (existing) return { ok: false as const, error: "already-member" as const };
    if (supervisorId) {
      if (role !== "TRAINEE") return { ok: false as const, error: "bad-supervisor" as const };
      const sup = await tx.cohortMember.findUnique({
        where: { cohortId_userId: { cohortId, userId: supervisorId } },
        select: { role: true },
      });
      if (sup?.role !== "TRAINER") return { ok: false as const, error: "bad-supervisor" as const };
    }
    await tx.cohortMember.create({ data: { cohortId, userId, role, supervisorId } });
    await appendAuditEvent(tx, {
      type: "cohort.member_added",
      actorId: by,
      subjectId: cohortId,
      data: { userId, role, supervisorId },
    });
    return { ok: true as const };
  });
}

export async function setSupervisor(
  db: Db,
  { cohortId, memberId, supervisorId, by }: { cohortId: string; memberId: string; supervisorId: string | null; by: string },
): Promise<{ ok: true } | { ok: false; error: MemberError }> {
  return audited(db, async (tx) => {
    const member = await tx.cohortMember.findFirst({ where: { id: memberId, cohortId }, select: { role: true, userId: true } });
    if (!member) return { ok: false as const, error: "not-found" as const };
    if (member.role !== "TRAINEE") return { ok: false as const, error: "bad-supervisor" as const };
    if (supervisorId) {
      const sup = await tx.cohortMember.findUnique({
        where: { cohortId_userId: { cohortId, userId: supervisorId } },
        select: { role: true },
      });
      if (sup?.role !== "TRAINER") return { ok: false as const, error: "bad-supervisor" as const };
    }
    await tx.cohortMember.update({ where: { id: memberId }, data: { supervisorId } });
    await appendAuditEvent(tx, {
      type: "cohort.supervisor_set",
      actorId: by,
      subjectId: cohortId,
      data: { userId: member.userId, supervisorId },
    });
    return { ok: true as const };
  });
}

export async function removeCohortMember(
  db: Db,
  { cohortId, memberId, by }: { cohortId: string; memberId: string; by: string },
): Promise<boolean> {
  return audited(db, async (tx) => {
    const member = await tx.cohortMember.findFirst({ where: { id: memberId, cohortId }, select: { userId: true, role: true } });
    if (!member) return false;
    // A trainer who leaves no longer supervises anyone in this cohort.
    if (member.role === "TRAINER") {
      await tx.cohortMember.updateMany({ where: { cohortId, supervisorId: member.userId }, data: { supervisorId: null } });
    }
    await tx.cohortMember.delete({ where: { id: memberId } });
    await appendAuditEvent(tx, { type: "cohort.member_removed", actorId: by, subjectId: cohortId, data: { userId: member.userId } });
    return true;
  });
}

/** What the home page shows a person about their cohorts. */
export async function cohortsForUser(db: DbTx, userId: string) {
  return db.cohortMember.findMany({
    where: { userId },
    orderBy: { cohort: { startsOn: "desc" } },
    select: {
      role: true,
      cohort: { select: { id: true, name: true, startsOn: true, endsOn: true } },
      supervisor: { select: { name: true, email: true } },
    },
  });
}

/** The trainees a trainer supervises, across cohorts. */
export async function superviseesOf(db: DbTx, trainerId: string) {
  return db.cohortMember.findMany({
    where: { supervisorId: trainerId },
    orderBy: { user: { name: "asc" } },
    select: { user: { select: { id: true, name: true, email: true } }, cohort: { select: { id: true, name: true } } },
  });
}

/** Whether a person is one of the cohort's trainers. */
export async function isCohortTrainer(db: DbTx, userId: string, cohortId: string): Promise<boolean> {
  const row = await db.cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId } }, select: { role: true } });
  return row?.role === "TRAINER";
}

export async function cohortName(db: DbTx, cohortId: string): Promise<string | null> {
  const row = await db.cohort.findUnique({ where: { id: cohortId }, select: { name: true } });
  return row?.name ?? null;
}
