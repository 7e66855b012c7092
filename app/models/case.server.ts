import type { Db, DbTx } from "#app/db.server";
import { type CaseStatus, canChangeStatus } from "#app/domain/case-rules";
import type { Relation } from "#app/domain/permissions";
import { Prisma } from "#app/generated/prisma/client";
import type { ConsentMethod, SupervisionStatus } from "#app/generated/prisma/enums";
import { appendAuditEvent, audited } from "#app/models/audit.server";

/**
 * Supervised training cases, their sessions (with outcome measures),
 * supervision log and consent attestations. Reads that a person may only do to
 * their own cases filter by that person in the query; the route then checks
 * the relations (owner, case-supervisor) through app/domain/permissions.ts.
 */

type Person = { id: string; roles: readonly string[] };

/** How `user` stands towards a case: its trainee ("owner") and/or its supervisor. */
export function relationsToCase(user: { id: string }, c: { traineeId: string; supervisorId: string }): Relation[] {
  const relations: Relation[] = [];
  if (c.traineeId === user.id) relations.push("owner");
  if (c.supervisorId === user.id) relations.push("case-supervisor");
  return relations;
}

/** Cases the person may see in a list: all for admins, else their own and those they supervise. */
export async function listCasesFor(db: DbTx, user: Person) {
  const where: Prisma.TrainingCaseWhereInput = user.roles.includes("ADMIN")
    ? {}
    : { OR: [{ traineeId: user.id }, { supervisorId: user.id }] };
  const rows = await db.trainingCase.findMany({
    where,
    orderBy: [{ status: "asc" }, { startedOn: "desc" }],
    select: {
      id: true,
      clientCode: true,
      startedOn: true,
      status: true,
      traineeId: true,
      supervisorId: true,
      trainee: { select: { name: true } },
      supervisor: { select: { name: true } },
      _count: { select: { sessions: true } },
    },
  });
  return rows.map(({ _count, ...c }) => ({ ...c, sessionCount: _count.sessions }));
}

/** Active trainers a trainee may choose as supervisor, and the default: their cohort supervisor. */
export async function supervisorChoices(db: DbTx, traineeId: string) {
  const [trainers, membership] = await Promise.all([
    db.user.findMany({
      where: { status: "ACTIVE", id: { not: traineeId }, roles: { some: { role: "TRAINER" } } },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
    db.cohortMember.findFirst({
      where: { userId: traineeId, role: "TRAINEE", supervisorId: { not: null } },
      orderBy: { cohort: { startsOn: "desc" } },
      select: { supervisorId: true },
    }),
  ]);
  const defaultId = trainers.some((t) => t.id === membership?.supervisorId) ? (membership?.supervisorId ?? null) : null;
  return { trainers, defaultId };
}

export type CreateCaseError = "bad-supervisor" | "code-taken";

export async function createCase(
  db: Db,
  input: { traineeId: string; clientCode: string; startedOn: Date; supervisorId: string },
): Promise<{ ok: true; id: string } | { ok: false; error: CreateCaseError }> {
  const supervisor = await db.user.findFirst({
    where: { id: input.supervisorId, status: "ACTIVE", roles: { some: { role: "TRAINER" } } },
    select: { id: true },
  });
  if (!supervisor || supervisor.id === input.traineeId) return { ok: false, error: "bad-supervisor" };
  try {
    return await audited(db, async (tx) => {
      const created = await tx.trainingCase.create({
        data: {
          traineeId: input.traineeId,
          supervisorId: input.supervisorId,
          clientCode: input.clientCode,
          startedOn: input.startedOn,
        },
        select: { id: true },
      });
      await appendAuditEvent(tx, {
        type: "case.created",
        actorId: input.traineeId,
        subjectId: created.id,
        data: { supervisorId: input.supervisorId },
      });
      return { ok: true as const, id: created.id };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, error: "code-taken" };
    }
    throw error;
  }
}

/** A whole case for its page; null when there is no such case. Access is the caller's to check. */
export async function getCase(db: DbTx, id: string) {
  return db.trainingCase.findUnique({
    where: { id },
    select: {
      id: true,
      clientCode: true,
      startedOn: true,
      closedOn: true,
      status: true,
      planId: true,
      traineeId: true,
      supervisorId: true,
      trainee: { select: { name: true } },
      supervisor: { select: { name: true } },
      sessions: {
        orderBy: { number: "asc" },
        select: { id: true, number: true, heldOn: true, phq9: true, gad7: true },
      },
      supervision: {
        orderBy: [{ heldOn: "asc" }, { createdAt: "asc" }],
        select: {
          id: true,
          heldOn: true,
          minutes: true,
          notes: true,
          status: true,
          reviewNote: true,
          reviewedAt: true,
          reviewedBy: { select: { name: true } },
        },
      },
      consents: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          consentOn: true,
          method: true,
          forSupervision: true,
          forAssessment: true,
          withdrawnAt: true,
          createdAt: true,
        },
      },
    },
  });
}

/** Adds or corrects one session of an open case. */
export async function recordSession(
  db: DbTx,
  input: { caseId: string; number: number; heldOn: Date; phq9: number | null; gad7: number | null },
): Promise<void> {
  const { caseId, number, ...fields } = input;
  await db.caseSession.upsert({
    where: { caseId_number: { caseId, number } },
    create: { caseId, number, ...fields },
    update: fields,
  });
}

export async function logSupervision(
  db: DbTx,
  input: { caseId: string; loggedById: string; heldOn: Date; minutes: number; notes: string },
): Promise<void> {
  await db.supervisionEntry.create({ data: input });
}

/**
 * The supervisor confirms or queries an entry that is not yet confirmed. A
 * confirmed entry is final; a queried one can still be confirmed once cleared up.
 */
export async function reviewSupervision(
  db: Db,
  input: { caseId: string; entryId: string; reviewerId: string; decision: Exclude<SupervisionStatus, "PENDING">; reviewNote: string },
): Promise<boolean> {
  return audited(db, async (tx) => {
    const { count } = await tx.supervisionEntry.updateMany({
      where: { id: input.entryId, caseId: input.caseId, status: { in: ["PENDING", "QUERIED"] } },
      data: {
        status: input.decision,
        reviewNote: input.decision === "QUERIED" ? input.reviewNote : "",
        reviewedById: input.reviewerId,
        reviewedAt: new Date(),
      },
    });
    if (count === 0) return false;
    await appendAuditEvent(tx, {
      type: input.decision === "CONFIRMED" ? "supervision.confirmed" : "supervision.queried",
      actorId: input.reviewerId,
      subjectId: input.entryId,
      data: { caseId: input.caseId },
    });
    return true;
  });
}

export async function setCaseStatus(db: Db, input: { caseId: string; by: string; from: CaseStatus; to: CaseStatus }): Promise<boolean> {
  if (!canChangeStatus(input.from, input.to)) return false;
  return audited(db, async (tx) => {
    const { count } = await tx.trainingCase.updateMany({
      where: { id: input.caseId, status: input.from },
      data: { status: input.to, closedOn: new Date() },
    });
    if (count === 0) return false;
    await appendAuditEvent(tx, { type: "case.status", actorId: input.by, subjectId: input.caseId, data: { to: input.to } });
    return true;
  });
}

/** Records an attestation of consent: the client's for a case, or (caseId null) the actor's for a role-play. */
export async function attestConsent(
  db: Db,
  input: {
    caseId: string | null;
    attestedById: string;
    consentOn: Date;
    method: ConsentMethod;
    forSupervision: boolean;
    forAssessment: boolean;
  },
): Promise<void> {
  await audited(db, async (tx) => {
    const row = await tx.consentAttestation.create({ data: input, select: { id: true } });
    await appendAuditEvent(tx, {
      type: "consent.attested",
      actorId: input.attestedById,
      subjectId: input.caseId ?? row.id,
      data: { consentId: row.id, forSupervision: input.forSupervision, forAssessment: input.forAssessment },
    });
  });
}

/** The client withdrew consent: the attestation no longer allows uploads (recordings follow their own rules). */
export async function withdrawConsent(db: Db, input: { caseId: string | null; consentId: string; by: string }): Promise<boolean> {
  return audited(db, async (tx) => {
    const { count } = await tx.consentAttestation.updateMany({
      // A role-play consent (no case) can only be withdrawn by the trainee who attested it.
      where: { id: input.consentId, caseId: input.caseId, withdrawnAt: null, ...(input.caseId ? {} : { attestedById: input.by }) },
      data: { withdrawnAt: new Date() },
    });
    if (count === 0) return false;
    await appendAuditEvent(tx, {
      type: "consent.withdrawn",
      actorId: input.by,
      subjectId: input.caseId,
      data: { consentId: input.consentId },
    });
    return true;
  });
}

/** Confirmed supervision minutes per case of a trainee, for their totals. */
export async function supervisionOfTrainee(db: DbTx, traineeId: string) {
  return db.supervisionEntry.findMany({
    where: { case: { traineeId } },
    select: { caseId: true, minutes: true, status: true },
  });
}

/** What waits for a supervisor: their cases with supervision entries to confirm. */
export async function supervisionAwaitingReview(db: DbTx, supervisorId: string) {
  const rows = await db.trainingCase.findMany({
    where: { supervisorId, supervision: { some: { status: "PENDING" } } },
    orderBy: { startedOn: "asc" },
    select: {
      id: true,
      clientCode: true,
      trainee: { select: { name: true } },
      _count: { select: { supervision: { where: { status: "PENDING" } } } },
    },
  });
  return rows.map((r) => ({ id: r.id, clientCode: r.clientCode, trainee: r.trainee.name, pending: r._count.supervision }));
}
