import type { Db, DbTx } from "#app/db.server";
import { type CaseStudyOutcome, nextSubmission, type SubmissionDecision } from "#app/domain/case-study-rules";
import type { Relation } from "#app/domain/permissions";
import { appendAuditEvent, audited, recordAuditEvent } from "#app/models/audit.server";

/**
 * Written case studies and their marks (docs/pathways.md). A trainee submits one
 * (the document is already encrypted into the store by app/case-studies/); a
 * trainer of the trainee's cohort marks it PASS or REFER with feedback; after a
 * referral the trainee submits a revised one, which points at the one it revises.
 * Access: the trainee ("owner") and the trainers of their cohorts ("cohort-trainer")
 * through app/domain/permissions.ts; the route checks the relations.
 */

/** Cohorts in which `trainerId` trains and `traineeId` is a trainee. */
const trainsTrainee = (trainerId: string) => ({
  memberships: { some: { role: "TRAINEE" as const, cohort: { members: { some: { userId: trainerId, role: "TRAINER" as const } } } } },
});

/** Whether `trainerId` is a trainer of one of `traineeId`'s cohorts. */
export async function isTrainerOfTrainee(db: DbTx, trainerId: string, traineeId: string): Promise<boolean> {
  if (trainerId === traineeId) return false;
  const found = await db.user.findFirst({ where: { id: traineeId, ...trainsTrainee(trainerId) }, select: { id: true } });
  return found !== null;
}

/** How `user` stands towards a trainee's case study: its trainee, and/or a trainer of one of their cohorts. */
export async function relationsToCaseStudy(db: DbTx, user: { id: string }, study: { traineeId: string }): Promise<Relation[]> {
  const relations: Relation[] = [];
  if (study.traineeId === user.id) relations.push("owner");
  else if (await isTrainerOfTrainee(db, user.id, study.traineeId)) relations.push("cohort-trainer");
  return relations;
}

const markSelect = {
  id: true,
  outcome: true,
  feedback: true,
  markedAt: true,
  markerId: true,
  marker: { select: { name: true } },
} as const;

const studySelect = {
  id: true,
  traineeId: true,
  caseId: true,
  title: true,
  store: true,
  mimeType: true,
  sizeBytes: true,
  sha256: true,
  wrappedKey: true,
  keyId: true,
  status: true,
  submittedAt: true,
  previousId: true,
  trainee: { select: { name: true } },
  case: { select: { clientCode: true } },
  mark: { select: markSelect },
} as const;

/** A trainee's case studies, newest first, with their marks. */
export async function caseStudiesOf(db: DbTx, traineeId: string) {
  return db.caseStudy.findMany({ where: { traineeId }, orderBy: { submittedAt: "desc" }, select: studySelect });
}

/** One case study with its mark; null when there is none. Access is the caller's to check. */
export async function getCaseStudy(db: DbTx, id: string) {
  return db.caseStudy.findUnique({ where: { id }, select: studySelect });
}

export type CaseStudyRow = NonNullable<Awaited<ReturnType<typeof getCaseStudy>>>;

/** Whether the trainee may submit now (see nextSubmission). */
export async function submissionFor(db: DbTx, traineeId: string): Promise<SubmissionDecision> {
  const studies = await db.caseStudy.findMany({ where: { traineeId }, select: { id: true, status: true, submittedAt: true } });
  return nextSubmission(studies);
}

/** The trainee's own cases, to name the one a case study is about. */
export async function casesForCaseStudy(db: DbTx, traineeId: string) {
  return db.trainingCase.findMany({
    where: { traineeId },
    orderBy: { startedOn: "asc" },
    select: { id: true, clientCode: true },
  });
}

export type StoredDocument = {
  id: string;
  store: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  wrappedKey: string;
  keyId: string;
};

export type SubmitError = "awaiting-marking" | "passed" | "bad-case";

/**
 * Records a submitted case study whose document is stored (encrypted) under `document.id`. The rule is checked
 * again inside the transaction, so two submissions at once cannot both land. Audited.
 */
export async function submitCaseStudy(
  db: Db,
  input: { traineeId: string; title: string; caseId: string | null; document: StoredDocument },
): Promise<{ ok: true; id: string } | { ok: false; error: SubmitError }> {
  return audited(db, async (tx) => {
    if (input.caseId) {
      const owned = await tx.trainingCase.findFirst({ where: { id: input.caseId, traineeId: input.traineeId }, select: { id: true } });
      if (!owned) return { ok: false as const, error: "bad-case" as const };
    }
    const decision = await submissionFor(tx, input.traineeId);
    if (!decision.ok) return { ok: false as const, error: decision.reason };
    const { document } = input;
    await tx.caseStudy.create({
      data: {
        id: document.id,
        traineeId: input.traineeId,
        caseId: input.caseId,
        title: input.title,
        store: document.store,
        mimeType: document.mimeType,
        sizeBytes: document.sizeBytes,
        sha256: document.sha256,
        wrappedKey: document.wrappedKey,
        keyId: document.keyId,
        previousId: decision.previousId,
      },
    });
    await appendAuditEvent(tx, {
      type: "case-study.submitted",
      actorId: input.traineeId,
      subjectId: document.id,
      data: { sha256: document.sha256, sizeBytes: document.sizeBytes, mimeType: document.mimeType, previousId: decision.previousId },
    });
    return { ok: true as const, id: document.id };
  });
}

/**
 * A trainer's mark: PASS or REFER with feedback, once, for a case study still awaiting marking. Nobody marks
 * their own. False when it is no longer awaiting marking (someone marked it first). Audited.
 */
export async function markCaseStudy(
  db: Db,
  input: { caseStudyId: string; markerId: string; outcome: CaseStudyOutcome; feedback: string },
): Promise<boolean> {
  return audited(db, async (tx) => {
    const { count } = await tx.caseStudy.updateMany({
      where: { id: input.caseStudyId, status: "SUBMITTED", traineeId: { not: input.markerId } },
      data: { status: input.outcome === "PASS" ? "PASSED" : "REFERRED" },
    });
    if (count === 0) return false;
    await tx.caseStudyMark.create({
      data: { caseStudyId: input.caseStudyId, markerId: input.markerId, outcome: input.outcome, feedback: input.feedback },
    });
    await appendAuditEvent(tx, {
      type: "case-study.marked",
      actorId: input.markerId,
      subjectId: input.caseStudyId,
      data: { outcome: input.outcome },
    });
    return true;
  });
}

/** Case studies awaiting marking from trainees of the marker's cohorts, oldest first. */
export async function caseStudyMarkingQueue(db: DbTx, markerId: string) {
  return db.caseStudy.findMany({
    where: { status: "SUBMITTED", traineeId: { not: markerId }, trainee: trainsTrainee(markerId) },
    orderBy: { submittedAt: "asc" },
    select: { id: true, title: true, submittedAt: true, previousId: true, trainee: { select: { name: true } } },
  });
}

/** Every case study (administrators' overview), newest first. */
export async function allCaseStudies(db: DbTx, take = 200) {
  return db.caseStudy.findMany({
    orderBy: { submittedAt: "desc" },
    take,
    select: { id: true, title: true, status: true, submittedAt: true, previousId: true, trainee: { select: { name: true } } },
  });
}

/** One download of a document, in the audit log (who read which case study). */
export async function recordCaseStudyDownload(db: Db, input: { caseStudyId: string; userId: string }): Promise<void> {
  await recordAuditEvent(db, { type: "case-study.downloaded", actorId: input.userId, subjectId: input.caseStudyId });
}
