import type { Db, DbTx } from "#app/db.server";
import type { Framework } from "#app/domain/framework";
import type { Relation } from "#app/domain/permissions";
import { type PhaseId, phaseOf, planById } from "#app/domain/phases";
import { type AssignmentProblem, allRatingsIn, assignmentProblem, type RaterRoleName, rolesAwaited } from "#app/domain/rating-assignment";
import type { RatingFormData } from "#app/domain/rating-form";
import {
  applicableItems,
  compareRatings,
  type DisagreementReason,
  deriveFinal,
  ratingSummary,
  secondRaterRequired,
  validateScores,
} from "#app/domain/rating-rules";
import { type RetentionPolicy, ratedDeadline } from "#app/domain/retention";
import type { Role } from "#app/domain/roles";
import type { Prisma } from "#app/generated/prisma/client";
import { appendAuditEvent, audited } from "#app/models/audit.server";
import { isCalibrated } from "#app/models/calibration.server";

/**
 * The rating workflow's data (docs/rating.md, ADR 0025): assigning raters,
 * a rater's own draft and submitted rating (item scores as rows, time-stamped
 * comments), the agreement rule, moderation, and the final rating.
 *
 * Blindness lives here as much as in the routes: every read for a rater
 * selects that rater's own rating by its assignment, and nothing returns
 * another provisional rating before the assessment has left RATING (which
 * happens only when every awaited rating is submitted).
 *
 * Nothing submitted is changed: a provisional rating is locked on submission
 * (every write is conditional on status DRAFT), and the final rating is a new
 * row (DERIVED or MODERATED) beside the provisional ones. Concurrent writers on
 * one recording are serialised by first writing its RecordingAssessment row
 * (a row lock on PostgreSQL; SQLite has one writer), so exactly one of two
 * simultaneous submissions settles the assessment.
 */

/** Whom to tell, after the transaction (app/mail/rating-notices.server.ts): never the clinical content itself. */
export type RatingNotice =
  | { kind: "assigned"; userId: string; assignmentId: string }
  | { kind: "moderation"; moderationId: string; raterIds: string[] }
  | { kind: "released"; userId: string; recordingId: string };

/** A refusal thrown inside a transaction so that it rolls back, turned into a result outside. */
class Refusal<P extends string> extends Error {
  constructor(readonly problem: P) {
    super(problem);
  }
}

async function refusable<T, P extends string>(work: () => Promise<T>): Promise<T | { ok: false; problem: P }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem as P };
    throw error;
  }
}

/** The phase a recording is rated in: its case session's (by the case's plan), or null for a role-play. */
export function recordingPhase(caseSession: { number: number; case: { planId: string } } | null): PhaseId | null {
  return caseSession ? phaseOf(caseSession.number, planById(caseSession.case.planId)).id : null;
}

export function asPhase(value: string | null): PhaseId | null {
  return value === "initial" || value === "middle" || value === "ending" ? value : null;
}

/** "Case C-0417, session 3" or "Role-play": how a recording is named in lists and mails' pages (never in a mail). */
export function recordingLabel(r: { caseSession: { number: number; case: { clientCode: string } } | null }): string {
  return r.caseSession ? `Case ${r.caseSession.case.clientCode}, session ${r.caseSession.number}` : "Role-play assessment";
}

const LABEL_SELECT = { caseSession: { select: { number: true, case: { select: { clientCode: true } } } } } as const;

/**
 * Records that a rater is calibrated for a framework version (the calibration
 * workflow's outcome, or the demo seed's). Idempotent; a revoked qualification
 * is restored. Audited.
 */
export async function markCalibrated(
  db: Db,
  input: { raterId: string; framework: { id: string; version: number }; by: string | null; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await audited(db, async (tx) => {
    const key = { raterId: input.raterId, frameworkId: input.framework.id, frameworkVersion: input.framework.version };
    // Marked again after a withdrawal: calibrated from now.
    const existing = await tx.raterQualification.findUnique({
      where: { raterId_frameworkId_frameworkVersion: key },
      select: { id: true, revokedAt: true },
    });
    if (!existing) await tx.raterQualification.create({ data: { ...key, calibratedAt: now } });
    else if (existing.revokedAt)
      await tx.raterQualification.update({ where: { id: existing.id }, data: { calibratedAt: now, revokedAt: null } });
    await appendAuditEvent(tx, {
      type: "rating.rater-calibrated",
      actorId: input.by,
      subjectId: input.raterId,
      data: { framework: `${input.framework.id} v${input.framework.version}` },
    });
  });
}

/** The trainee's supervisors: of the recorded case and in their cohorts (none of whom may be the second rater). */
async function supervisorsOf(db: DbTx, ownerId: string, caseSupervisorId: string | null): Promise<string[]> {
  const cohort = await db.cohortMember.findMany({
    where: { userId: ownerId, role: "TRAINEE", supervisorId: { not: null } },
    select: { supervisorId: true },
  });
  const ids = new Set(cohort.map((c) => c.supervisorId as string));
  if (caseSupervisorId) ids.add(caseSupervisorId);
  return [...ids];
}

const CURRENT = { withdrawnAt: null, purpose: "SUMMATIVE" } as const;

const BY_TIME: Prisma.TimedCommentOrderByWithRelationInput[] = [{ atSeconds: "asc" }, { createdAt: "asc" }];

// ---- Assigning ---------------------------------------------------------------------------------------------------

/** What the raters page shows: the assessment and every assignment (withdrawn ones too), without any scores. */
export async function assignmentOverview(db: DbTx, recordingId: string) {
  const [assessment, assignments] = await Promise.all([
    db.recordingAssessment.findUnique({
      where: { recordingId },
      select: { state: true, frameworkId: true, frameworkVersion: true, secondRaterRequired: true, decidedBy: true, finalizedAt: true },
    }),
    db.ratingAssignment.findMany({
      where: { recordingId, purpose: "SUMMATIVE" },
      orderBy: { assignedAt: "asc" },
      select: {
        id: true,
        role: true,
        raterId: true,
        assignedAt: true,
        withdrawnAt: true,
        rater: { select: { name: true } },
        assignedBy: { select: { name: true } },
        rating: { select: { status: true } },
      },
    }),
  ]);
  return {
    assessment,
    assignments: assignments.map((a) => ({
      id: a.id,
      role: a.role,
      raterId: a.raterId,
      rater: a.rater.name,
      assignedBy: a.assignedBy.name,
      assignedAt: a.assignedAt,
      withdrawnAt: a.withdrawnAt,
      submitted: a.rating?.status === "SUBMITTED",
    })),
  };
}

/** Active trainers and moderators, and whether each is calibrated for the framework version. */
export async function raterCandidates(db: DbTx, framework: { id: string; version: number }) {
  const rows = await db.user.findMany({
    where: { status: "ACTIVE", roles: { some: { role: { in: ["TRAINER", "MODERATOR"] } } } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      raterQualifications: {
        where: { frameworkId: framework.id, frameworkVersion: framework.version, revokedAt: null },
        select: { id: true },
      },
    },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, calibrated: r.raterQualifications.length > 0 }));
}

export type AssignResult =
  | { ok: true; assignmentId: string; notices: RatingNotice[] }
  | { ok: false; problem: AssignmentProblem | "not-found" };

/**
 * Assigns `raterId` to rate a recording in `role` (summative). The first
 * assignment opens the recording's assessment against `framework` (its id and
 * version are then fixed for every rating of the recording) and draws whether
 * a second rater is required (rules.secondRater, with `random`). The rules are
 * app/domain/rating-assignment.ts; the rater's (empty) draft rating is made at once.
 */
export async function assignRater(
  db: Db,
  input: { recordingId: string; raterId: string; role: RaterRoleName; by: string; framework: Framework; random?: () => number; now?: Date },
): Promise<AssignResult> {
  const now = input.now ?? new Date();
  return refusable(() =>
    audited(db, async (tx) => {
      const recording = await tx.recording.findUnique({
        where: { id: input.recordingId },
        select: {
          id: true,
          ownerId: true,
          status: true,
          caseSession: { select: { number: true, case: { select: { supervisorId: true, planId: true } } } },
        },
      });
      if (!recording) throw new Refusal("not-found");
      // Take the assessment row first: concurrent assignments of one recording queue here.
      const existing = await tx.recordingAssessment.findUnique({ where: { recordingId: recording.id }, select: { id: true } });
      const assessment = existing
        ? await tx.recordingAssessment.update({ where: { id: existing.id }, data: { updatedAt: now } })
        : await tx.recordingAssessment.create({
            data: {
              recordingId: recording.id,
              frameworkId: input.framework.id,
              frameworkVersion: input.framework.version,
              phase: recordingPhase(recording.caseSession),
              secondRaterRequired: secondRaterRequired(input.framework, input.random ?? Math.random),
            },
          });
      const [current, candidate] = await Promise.all([
        tx.ratingAssignment.findMany({ where: { recordingId: recording.id, ...CURRENT }, select: { raterId: true, role: true } }),
        tx.user.findUnique({ where: { id: input.raterId }, select: { id: true, status: true, roles: { select: { role: true } } } }),
      ]);
      if (!candidate) throw new Refusal("not-a-rater");
      const framework = { id: assessment.frameworkId, version: assessment.frameworkVersion };
      const problem = assignmentProblem({
        recording: {
          ownerId: recording.ownerId,
          status: recording.status,
          supervisorIds: await supervisorsOf(tx, recording.ownerId, recording.caseSession?.case.supervisorId ?? null),
        },
        assessmentState: existing ? assessment.state : null,
        current,
        candidate: {
          id: candidate.id,
          roles: candidate.roles.map((r) => r.role as Role),
          active: candidate.status === "ACTIVE",
          calibrated: await isCalibrated(tx, candidate.id, framework),
        },
        role: input.role,
        purpose: "SUMMATIVE",
      });
      if (problem) throw new Refusal(problem);
      const assignment = await tx.ratingAssignment.create({
        data: {
          recordingId: recording.id,
          raterId: candidate.id,
          role: input.role,
          purpose: "SUMMATIVE",
          blind: true,
          assignedById: input.by,
        },
        select: { id: true },
      });
      await tx.rating.create({
        data: {
          assignmentId: assignment.id,
          recordingId: recording.id,
          raterId: candidate.id,
          kind: "PROVISIONAL",
          frameworkId: assessment.frameworkId,
          frameworkVersion: assessment.frameworkVersion,
          phase: assessment.phase,
        },
      });
      await appendAuditEvent(tx, {
        type: "rating.assigned",
        actorId: input.by,
        subjectId: recording.id,
        data: { assignmentId: assignment.id, raterId: candidate.id, role: input.role, framework: `${framework.id} v${framework.version}` },
      });
      return {
        ok: true as const,
        assignmentId: assignment.id,
        notices: [{ kind: "assigned" as const, userId: candidate.id, assignmentId: assignment.id }],
      };
    }),
  );
}

/** Withdraws an assignment whose rating is not submitted (a rater who cannot rate after all); the place is free again. */
export async function withdrawAssignment(
  db: Db,
  input: { recordingId: string; assignmentId: string; by: string; now?: Date },
): Promise<{ ok: true } | { ok: false; problem: "not-found" | "submitted" | "closed" }> {
  const now = input.now ?? new Date();
  return refusable(() =>
    audited(db, async (tx) => {
      const assessment = await tx.recordingAssessment.findUnique({
        where: { recordingId: input.recordingId },
        select: { id: true, state: true },
      });
      if (!assessment) throw new Refusal("not-found");
      await tx.recordingAssessment.update({ where: { id: assessment.id }, data: { updatedAt: now } });
      if (assessment.state !== "RATING") throw new Refusal("closed");
      const a = await tx.ratingAssignment.findFirst({
        where: { id: input.assignmentId, recordingId: input.recordingId, withdrawnAt: null },
        select: { id: true, raterId: true, role: true, rating: { select: { status: true } } },
      });
      if (!a) throw new Refusal("not-found");
      if (a.rating?.status === "SUBMITTED") throw new Refusal("submitted");
      await tx.ratingAssignment.update({ where: { id: a.id }, data: { withdrawnAt: now } });
      await appendAuditEvent(tx, {
        type: "rating.assignment-withdrawn",
        actorId: input.by,
        subjectId: input.recordingId,
        data: { assignmentId: a.id, raterId: a.raterId, role: a.role },
      });
      return { ok: true as const };
    }),
  );
}

// ---- The rater's own rating -------------------------------------------------------------------------------------

/**
 * One assignment with its rater's own rating (scores, notes, comments) and
 * what the player needs. Nothing of any other rating of the recording.
 */
export async function assignmentForRater(db: DbTx, assignmentId: string) {
  return db.ratingAssignment.findUnique({
    where: { id: assignmentId },
    select: {
      id: true,
      raterId: true,
      role: true,
      purpose: true,
      withdrawnAt: true,
      recording: {
        select: {
          id: true,
          ownerId: true,
          status: true,
          kind: true,
          mimeType: true,
          hasVideo: true,
          wrappedKey: true,
          durationSeconds: true,
          owner: { select: { name: true } },
          ...LABEL_SELECT,
          assessment: { select: { state: true } },
        },
      },
      rating: {
        select: {
          id: true,
          status: true,
          frameworkId: true,
          frameworkVersion: true,
          phase: true,
          overallFeedback: true,
          mean: true,
          competent: true,
          submittedAt: true,
          updatedAt: true,
          scores: { select: { itemId: true, score: true, notApplicable: true, note: true } },
          comments: { orderBy: BY_TIME, select: { id: true, atSeconds: true, itemId: true, body: true } },
        },
      },
    },
  });
}

export type RaterAssignment = NonNullable<Awaited<ReturnType<typeof assignmentForRater>>>;

/** Writes the rating's item rows: applicable items with their score and note; with `all`, the others as not applicable. */
async function writeItems(
  tx: DbTx,
  rating: { id: string; recordingId: string; raterId: string | null },
  framework: Framework,
  phase: PhaseId | null,
  data: Pick<RatingFormData, "scores" | "notes">,
  all: boolean,
) {
  const applicable = new Set(applicableItems(framework, phase).map((i) => i.id));
  for (const item of framework.items) {
    const isApplicable = applicable.has(item.id);
    if (!isApplicable && !all) continue;
    const values = isApplicable
      ? { score: data.scores[item.id] ?? null, note: data.notes[item.id] ?? "", notApplicable: false }
      : { score: null, note: "", notApplicable: true };
    await tx.itemScore.upsert({
      where: { ratingId_itemId: { ratingId: rating.id, itemId: item.id } },
      create: { ratingId: rating.id, recordingId: rating.recordingId, raterId: rating.raterId, itemId: item.id, ...values },
      update: values,
    });
  }
}

function checkFramework(rating: { frameworkId: string; frameworkVersion: number }, framework: Framework) {
  if (rating.frameworkId !== framework.id || rating.frameworkVersion !== framework.version) {
    throw new Error(`This rating is against ${rating.frameworkId} v${rating.frameworkVersion}, not ${framework.id} v${framework.version}`);
  }
}

const DRAFT_OF = (assignmentId: string, raterId: string) => ({
  assignmentId,
  raterId,
  status: "DRAFT" as const,
  assignment: { withdrawnAt: null },
});

const DRAFT_SELECT = { id: true, recordingId: true, raterId: true, frameworkId: true, frameworkVersion: true, phase: true } as const;

/**
 * Saves the rater's draft as it stands (scores may be missing). False when
 * there is no draft to save: submitted (locked), withdrawn, or not theirs.
 */
export async function saveDraft(
  db: Db,
  input: { assignmentId: string; raterId: string; framework: Framework; data: RatingFormData },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const rating = await tx.rating.findFirst({ where: DRAFT_OF(input.assignmentId, input.raterId), select: DRAFT_SELECT });
    if (!rating) return false;
    checkFramework(rating, input.framework);
    // Conditional on DRAFT, and the first write: it waits for a submission of the same rating in progress.
    const { count } = await tx.rating.updateMany({
      where: { id: rating.id, status: "DRAFT" },
      data: { overallFeedback: input.data.overallFeedback },
    });
    if (count !== 1) return false;
    await writeItems(tx, rating, input.framework, asPhase(rating.phase), input.data, false);
    return true;
  });
}

export type SubmitProblem = "locked" | "not-rateable" | "closed" | "incomplete";
export type SubmitResult =
  | { ok: true; state: "RATING" | "MODERATION" | "FINAL"; notices: RatingNotice[] }
  | { ok: false; problem: SubmitProblem; errors?: Record<string, string> };

/**
 * Submits the rater's rating: every applicable item scored (validateScores),
 * then locked for good. If it was the last awaited rating, the assessment is
 * settled in the same transaction: a single rating or two agreeing ones give
 * the final rating by rule; a disagreement opens a moderation.
 */
export async function submitRating(
  db: Db,
  input: {
    assignmentId: string;
    raterId: string;
    framework: Framework;
    data: RatingFormData;
    retention: RetentionPolicy;
    now?: Date;
  },
): Promise<SubmitResult> {
  const now = input.now ?? new Date();
  return refusable(() =>
    audited(db, async (tx) => {
      const rating = await tx.rating.findFirst({
        where: DRAFT_OF(input.assignmentId, input.raterId),
        select: { ...DRAFT_SELECT, assignment: { select: { role: true } }, recording: { select: { status: true } } },
      });
      if (!rating) throw new Refusal("locked");
      checkFramework(rating, input.framework);
      if (rating.recording.status !== "READY") throw new Refusal("not-rateable");
      const assessment = await tx.recordingAssessment.update({ where: { recordingId: rating.recordingId }, data: { updatedAt: now } });
      if (assessment.state !== "RATING") throw new Refusal("closed");
      const phase = asPhase(rating.phase);
      const errors = validateScores(input.framework, phase, input.data.scores);
      if (Object.keys(errors).length) return { ok: false as const, problem: "incomplete" as const, errors };
      const summary = ratingSummary(input.framework, phase, input.data.scores);
      const { count } = await tx.rating.updateMany({
        where: { id: rating.id, status: "DRAFT" },
        data: {
          status: "SUBMITTED",
          submittedAt: now,
          overallFeedback: input.data.overallFeedback,
          mean: summary.mean,
          competent: summary.competent,
        },
      });
      if (count !== 1) throw new Refusal("locked");
      await writeItems(tx, rating, input.framework, phase, input.data, true);
      await appendAuditEvent(tx, {
        type: "rating.submitted",
        actorId: input.raterId,
        subjectId: rating.recordingId,
        data: { ratingId: rating.id, role: rating.assignment?.role ?? null },
      });
      const settled = await settleIfComplete(tx, {
        recordingId: rating.recordingId,
        framework: input.framework,
        retention: input.retention,
        now,
      });
      return { ok: true as const, state: settled.state, notices: settled.notices };
    }),
  );
}

type Settled = { state: "RATING" | "MODERATION" | "FINAL"; notices: RatingNotice[] };

const scoresOf = (rows: readonly { itemId: string; score: number | null }[]) => Object.fromEntries(rows.map((s) => [s.itemId, s.score]));

async function settleIfComplete(
  tx: DbTx,
  input: { recordingId: string; framework: Framework; retention: RetentionPolicy; now: Date },
): Promise<Settled> {
  const assessment = await tx.recordingAssessment.findUniqueOrThrow({
    where: { recordingId: input.recordingId },
    select: { id: true, phase: true, secondRaterRequired: true, recording: { select: { ownerId: true } } },
  });
  const current = await tx.ratingAssignment.findMany({
    where: { recordingId: input.recordingId, ...CURRENT },
    select: { role: true, raterId: true, rating: { select: { status: true, scores: { select: { itemId: true, score: true } } } } },
  });
  const rows = current.map((a) => ({
    role: a.role,
    raterId: a.raterId,
    submitted: a.rating?.status === "SUBMITTED",
    scores: a.rating?.scores ?? [],
  }));
  if (!allRatingsIn(assessment.secondRaterRequired, rows)) return { state: "RATING", notices: [] };
  const phase = asPhase(assessment.phase);
  const primary = rows.find((r) => r.role === "PRIMARY");
  const second = rows.find((r) => r.role === "SECOND");
  if (!primary) return { state: "RATING", notices: [] };
  const base = { assessmentId: assessment.id, recordingId: input.recordingId, ownerId: assessment.recording.ownerId, phase };
  if (!second) {
    const scores = scoresOf(primary.scores);
    const final = await finalise(tx, { ...base, ...input, decidedBy: "SINGLE", scores, raterId: null, kind: "DERIVED" });
    return { state: "FINAL", notices: final.notices };
  }
  const a = scoresOf(primary.scores);
  const b = scoresOf(second.scores);
  const comparison = compareRatings(input.framework, phase, a, b);
  if (comparison.agree) {
    const scores = deriveFinal(input.framework, phase, a, b);
    const final = await finalise(tx, { ...base, ...input, decidedBy: "DERIVED", scores, raterId: null, kind: "DERIVED" });
    return { state: "FINAL", notices: final.notices };
  }
  const moderation = await tx.moderation.create({
    data: { assessmentId: assessment.id, reasons: JSON.stringify(comparison.reasons), openedAt: input.now },
    select: { id: true },
  });
  await tx.recordingAssessment.update({ where: { id: assessment.id }, data: { state: "MODERATION" } });
  await appendAuditEvent(tx, {
    type: "rating.moderation-opened",
    actorId: null,
    subjectId: input.recordingId,
    data: { moderationId: moderation.id, reasons: comparison.reasons.map((r) => ({ kind: r.kind, itemId: r.itemId ?? null })) },
  });
  return {
    state: "MODERATION",
    notices: [{ kind: "moderation", moderationId: moderation.id, raterIds: rows.map((r) => r.raterId) }],
  };
}

/**
 * Makes the final rating: a new SUBMITTED rating (DERIVED or MODERATED) with
 * a row per framework item; the assessment FINAL and released; the raters'
 * comments released with it; the recording's retention clock set to
 * "N days after its rating is final" (ratedDeadline). Release is finalisation
 * (docs/rating.md, "Release").
 */
async function finalise(
  tx: DbTx,
  input: {
    assessmentId: string;
    recordingId: string;
    ownerId: string;
    phase: PhaseId | null;
    framework: Framework;
    retention: RetentionPolicy;
    now: Date;
    decidedBy: "SINGLE" | "DERIVED" | "MODERATED";
    kind: "DERIVED" | "MODERATED";
    raterId: string | null;
    scores: Record<string, number | null>;
    notes?: Record<string, string>;
    overallFeedback?: string;
  },
): Promise<{ finalRatingId: string; notices: RatingNotice[] }> {
  const { framework, phase, now } = input;
  const summary = ratingSummary(framework, phase, input.scores);
  const final = await tx.rating.create({
    data: {
      recordingId: input.recordingId,
      raterId: input.raterId,
      kind: input.kind,
      status: "SUBMITTED",
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      phase,
      overallFeedback: input.overallFeedback ?? "",
      mean: summary.mean,
      competent: summary.competent,
      submittedAt: now,
    },
    select: { id: true },
  });
  const applicable = new Set(applicableItems(framework, phase).map((i) => i.id));
  await tx.itemScore.createMany({
    data: framework.items.map((item) => ({
      ratingId: final.id,
      recordingId: input.recordingId,
      raterId: input.raterId,
      itemId: item.id,
      score: applicable.has(item.id) ? (input.scores[item.id] ?? null) : null,
      notApplicable: !applicable.has(item.id),
      note: applicable.has(item.id) ? (input.notes?.[item.id] ?? "") : "",
    })),
  });
  const { count } = await tx.recordingAssessment.updateMany({
    where: { id: input.assessmentId, state: { in: ["RATING", "MODERATION"] } },
    data: { state: "FINAL", finalRatingId: final.id, decidedBy: input.decidedBy, finalizedAt: now, releasedAt: now },
  });
  if (count !== 1) throw new Refusal("closed");
  await tx.timedComment.updateMany({
    where: {
      recordingId: input.recordingId,
      releasedAt: null,
      rating: { kind: "PROVISIONAL", status: "SUBMITTED", assignment: { withdrawnAt: null } },
    },
    data: { releasedAt: now },
  });
  const deleteAfter = ratedDeadline(input.retention, now);
  await tx.recording.updateMany({ where: { id: input.recordingId, status: { not: "PURGED" } }, data: { deleteAfter } });
  await appendAuditEvent(tx, {
    type: "rating.finalised",
    actorId: input.raterId,
    subjectId: input.recordingId,
    data: {
      ratingId: final.id,
      decidedBy: input.decidedBy,
      framework: `${framework.id} v${framework.version}`,
      competent: summary.competent,
      deleteAfter: deleteAfter.toISOString(),
    },
  });
  return { finalRatingId: final.id, notices: [{ kind: "released", userId: input.ownerId, recordingId: input.recordingId }] };
}

// ---- Comments --------------------------------------------------------------------------------------------------

/** Adds a time-stamped comment to the rater's draft; false when the rating is locked (or not theirs). */
export async function addComment(
  db: Db,
  input: { assignmentId: string; raterId: string; atSeconds: number; itemId: string | null; body: string },
): Promise<string | null> {
  return db.$transaction(async (tx) => {
    const rating = await tx.rating.findFirst({
      where: DRAFT_OF(input.assignmentId, input.raterId),
      select: { id: true, recordingId: true },
    });
    if (!rating) return null;
    const { count } = await tx.rating.updateMany({ where: { id: rating.id, status: "DRAFT" }, data: { updatedAt: new Date() } });
    if (count !== 1) return null;
    const row = await tx.timedComment.create({
      data: {
        ratingId: rating.id,
        recordingId: rating.recordingId,
        authorId: input.raterId,
        atSeconds: input.atSeconds,
        itemId: input.itemId,
        body: input.body,
      },
      select: { id: true },
    });
    return row.id;
  });
}

/** Deletes one of the draft's comments (a draft is the rater's own working copy); false when locked or not theirs. */
export async function deleteComment(db: Db, input: { assignmentId: string; raterId: string; commentId: string }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const rating = await tx.rating.findFirst({ where: DRAFT_OF(input.assignmentId, input.raterId), select: { id: true } });
    if (!rating) return false;
    const { count: locked } = await tx.rating.updateMany({ where: { id: rating.id, status: "DRAFT" }, data: { updatedAt: new Date() } });
    if (locked !== 1) return false;
    const { count } = await tx.timedComment.deleteMany({ where: { id: input.commentId, ratingId: rating.id } });
    return count === 1;
  });
}

// ---- Moderation ------------------------------------------------------------------------------------------------

export function parseReasons(json: string): DisagreementReason[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as DisagreementReason[]) : [];
  } catch {
    return [];
  }
}

const PROVISIONAL_SELECT = {
  id: true,
  raterId: true,
  overallFeedback: true,
  mean: true,
  competent: true,
  submittedAt: true,
  rater: { select: { name: true } },
  assignment: { select: { role: true } },
  scores: { select: { itemId: true, score: true, notApplicable: true, note: true } },
  comments: { orderBy: BY_TIME, select: { id: true, atSeconds: true, itemId: true, body: true } },
};

/**
 * A moderation with both submitted provisional ratings side by side. A
 * moderation exists only once every awaited rating is submitted, so showing
 * them here never breaks blindness.
 */
export async function moderationDetail(db: DbTx, moderationId: string) {
  const m = await db.moderation.findUnique({
    where: { id: moderationId },
    select: {
      id: true,
      reasons: true,
      openedAt: true,
      settledAt: true,
      rationale: true,
      moderator: { select: { name: true } },
      assessment: {
        select: {
          id: true,
          state: true,
          frameworkId: true,
          frameworkVersion: true,
          phase: true,
          recording: {
            select: {
              id: true,
              status: true,
              mimeType: true,
              hasVideo: true,
              wrappedKey: true,
              durationSeconds: true,
              owner: { select: { name: true } },
              ...LABEL_SELECT,
            },
          },
        },
      },
    },
  });
  if (!m) return null;
  const ratings = await db.rating.findMany({
    where: { recordingId: m.assessment.recording.id, kind: "PROVISIONAL", status: "SUBMITTED", assignment: { ...CURRENT } },
    select: PROVISIONAL_SELECT,
  });
  ratings.sort((x, y) => (x.assignment?.role === "PRIMARY" ? -1 : 0) - (y.assignment?.role === "PRIMARY" ? -1 : 0));
  return { ...m, reasons: parseReasons(m.reasons), ratings };
}

export type SettleProblem = "not-found" | "settled" | "own-rating" | "incomplete";

/**
 * The moderator records the final rating (MODERATED) with a rationale: every
 * applicable item scored; never by one of the recording's own raters. The
 * provisional ratings stay as they are.
 */
export async function settleModeration(
  db: Db,
  input: {
    moderationId: string;
    moderatorId: string;
    framework: Framework;
    data: RatingFormData;
    rationale: string;
    retention: RetentionPolicy;
    now?: Date;
  },
): Promise<{ ok: true; notices: RatingNotice[] } | { ok: false; problem: SettleProblem; errors?: Record<string, string> }> {
  const now = input.now ?? new Date();
  return refusable(() =>
    audited(db, async (tx) => {
      const m = await tx.moderation.findUnique({
        where: { id: input.moderationId },
        select: {
          id: true,
          assessment: {
            select: {
              id: true,
              recordingId: true,
              phase: true,
              frameworkId: true,
              frameworkVersion: true,
              recording: { select: { ownerId: true } },
            },
          },
        },
      });
      if (!m) throw new Refusal("not-found");
      checkFramework(m.assessment, input.framework);
      const raters = await tx.ratingAssignment.findMany({
        where: { recordingId: m.assessment.recordingId, ...CURRENT },
        select: { raterId: true },
      });
      if (raters.some((r) => r.raterId === input.moderatorId)) throw new Refusal("own-rating");
      const phase = asPhase(m.assessment.phase);
      const errors = validateScores(input.framework, phase, input.data.scores);
      if (Object.keys(errors).length) return { ok: false as const, problem: "incomplete" as const, errors };
      const { count } = await tx.moderation.updateMany({
        where: { id: m.id, settledAt: null },
        data: { moderatorId: input.moderatorId, rationale: input.rationale, settledAt: now },
      });
      if (count !== 1) throw new Refusal("settled");
      const final = await finalise(tx, {
        assessmentId: m.assessment.id,
        recordingId: m.assessment.recordingId,
        ownerId: m.assessment.recording.ownerId,
        phase,
        framework: input.framework,
        retention: input.retention,
        now,
        decidedBy: "MODERATED",
        kind: "MODERATED",
        raterId: input.moderatorId,
        scores: input.data.scores,
        notes: input.data.notes,
        overallFeedback: input.data.overallFeedback,
      });
      await tx.moderation.update({ where: { id: m.id }, data: { finalRatingId: final.finalRatingId } });
      await appendAuditEvent(tx, {
        type: "rating.moderated",
        actorId: input.moderatorId,
        subjectId: m.assessment.recordingId,
        data: { moderationId: m.id, ratingId: final.finalRatingId },
      });
      return { ok: true as const, notices: final.notices };
    }),
  );
}

// ---- The final rating ------------------------------------------------------------------------------------------

/**
 * The released final rating of a recording, item by item, with the raters'
 * (and moderator's) feedback and the released comments; null until released.
 */
export async function releasedRating(db: DbTx, recordingId: string) {
  const a = await db.recordingAssessment.findUnique({
    where: { recordingId },
    select: {
      state: true,
      frameworkId: true,
      frameworkVersion: true,
      phase: true,
      decidedBy: true,
      finalizedAt: true,
      releasedAt: true,
      finalRating: {
        select: {
          id: true,
          mean: true,
          competent: true,
          overallFeedback: true,
          rater: { select: { name: true } },
          scores: { select: { itemId: true, score: true, notApplicable: true, note: true } },
        },
      },
      moderation: { select: { rationale: true, moderator: { select: { name: true } } } },
    },
  });
  if (a?.state !== "FINAL" || !a.releasedAt || !a.finalRating) return null;
  const [provisional, comments] = await Promise.all([
    db.rating.findMany({
      where: { recordingId, kind: "PROVISIONAL", status: "SUBMITTED", assignment: { ...CURRENT } },
      select: {
        id: true,
        overallFeedback: true,
        rater: { select: { name: true } },
        assignment: { select: { role: true } },
        scores: { where: { note: { not: "" } }, select: { itemId: true, note: true } },
      },
    }),
    db.timedComment.findMany({
      where: { recordingId, releasedAt: { not: null } },
      orderBy: BY_TIME,
      select: { id: true, atSeconds: true, itemId: true, body: true, author: { select: { name: true } } },
    }),
  ]);
  provisional.sort((x, y) => (x.assignment?.role === "PRIMARY" ? -1 : 0) - (y.assignment?.role === "PRIMARY" ? -1 : 0));
  return { ...a, finalRating: a.finalRating, provisional, comments };
}

/** Where a recording's rating stands (no scores): its state and, in moderation, the moderation's id. */
export async function ratingStateOf(db: DbTx, recordingId: string) {
  const a = await db.recordingAssessment.findUnique({
    where: { recordingId },
    select: { state: true, moderation: { select: { id: true, settledAt: true } } },
  });
  return a ? { state: a.state, moderationId: a.moderation?.id ?? null } : null;
}

/** Whether the recording's rating is final (withdrawal is refused from then on; docs/recordings.md). */
export async function hasFinalRating(db: DbTx, recordingId: string): Promise<boolean> {
  const a = await db.recordingAssessment.findUnique({ where: { recordingId }, select: { state: true } });
  return a?.state === "FINAL";
}

// ---- What waits for whom ---------------------------------------------------------------------------------------

type Person = { id: string; roles: readonly Role[] };

/**
 * One person's rating work: recordings to rate (and those they rated),
 * disagreements to moderate (moderators, never on recordings they rated),
 * their own released final ratings (trainees), and recordings that still need
 * raters (admins: every one; a trainer: those of cases they supervise).
 */
export async function ratingWorkFor(db: DbTx, user: Person, options: { take?: number } = {}) {
  const take = options.take ?? 50;
  const isModerator = user.roles.includes("MODERATOR");
  const isAdmin = user.roles.includes("ADMIN");
  const isTrainer = user.roles.includes("TRAINER");
  const [assignments, moderations, released, unassigned] = await Promise.all([
    db.ratingAssignment.findMany({
      where: { raterId: user.id, ...CURRENT },
      orderBy: { assignedAt: "desc" },
      take,
      select: {
        id: true,
        role: true,
        assignedAt: true,
        rating: { select: { status: true, submittedAt: true } },
        recording: {
          select: { id: true, status: true, owner: { select: { name: true } }, ...LABEL_SELECT, assessment: { select: { state: true } } },
        },
      },
    }),
    isModerator
      ? db.moderation.findMany({
          where: { settledAt: null, assessment: { recording: { ratingAssignments: { none: { raterId: user.id, ...CURRENT } } } } },
          orderBy: { openedAt: "asc" },
          take,
          select: {
            id: true,
            openedAt: true,
            assessment: { select: { recording: { select: { id: true, owner: { select: { name: true } }, ...LABEL_SELECT } } } },
          },
        })
      : Promise.resolve([]),
    db.recordingAssessment.findMany({
      where: { state: "FINAL", releasedAt: { not: null }, recording: { ownerId: user.id } },
      orderBy: { releasedAt: "desc" },
      take,
      select: {
        releasedAt: true,
        decidedBy: true,
        finalRating: { select: { competent: true } },
        recording: { select: { id: true, ...LABEL_SELECT } },
      },
    }),
    isAdmin || isTrainer
      ? db.recording.findMany({
          where: {
            status: "READY",
            calibrations: { none: { withdrawnAt: null } },
            OR: [{ assessment: null }, { assessment: { state: "RATING" } }],
            ...(isAdmin ? {} : { caseSession: { case: { supervisorId: user.id } } }),
          },
          orderBy: { completedAt: "asc" },
          take,
          select: {
            id: true,
            completedAt: true,
            owner: { select: { name: true } },
            ...LABEL_SELECT,
            assessment: { select: { secondRaterRequired: true } },
            ratingAssignments: { where: CURRENT, select: { role: true } },
          },
        })
      : Promise.resolve([]),
  ]);
  const needsRaters = unassigned.flatMap((r) => {
    const present = r.ratingAssignments;
    const awaited = r.assessment ? rolesAwaited(r.assessment.secondRaterRequired, present) : (["PRIMARY"] as RaterRoleName[]);
    const missing = awaited.filter((role) => !present.some((p) => p.role === role));
    return missing.length ? [{ recordingId: r.id, label: recordingLabel(r), trainee: r.owner.name, missing }] : [];
  });
  return {
    toRate: assignments
      .filter((a) => a.rating?.status === "DRAFT" && a.recording.status === "READY" && a.recording.assessment?.state === "RATING")
      .map((a) => ({
        assignmentId: a.id,
        role: a.role,
        label: recordingLabel(a.recording),
        trainee: a.recording.owner.name,
        assignedAt: a.assignedAt,
      })),
    rated: assignments
      .filter((a) => a.rating?.status === "SUBMITTED")
      .map((a) => ({
        assignmentId: a.id,
        recordingId: a.recording.id,
        role: a.role,
        label: recordingLabel(a.recording),
        submittedAt: a.rating?.submittedAt ?? null,
        state: a.recording.assessment?.state ?? "RATING",
      })),
    toModerate: moderations.map((m) => ({
      moderationId: m.id,
      label: recordingLabel(m.assessment.recording),
      trainee: m.assessment.recording.owner.name,
      openedAt: m.openedAt,
    })),
    released: released.map((r) => ({
      recordingId: r.recording.id,
      label: recordingLabel(r.recording),
      releasedAt: r.releasedAt as Date,
      competent: r.finalRating?.competent ?? null,
    })),
    needsRaters,
  };
}

/** Active moderators to tell about a new disagreement (not its own raters). */
export async function moderatorsToTell(db: DbTx, exclude: readonly string[]) {
  return db.user.findMany({
    where: { status: "ACTIVE", id: { notIn: [...exclude] }, roles: { some: { role: "MODERATOR" } } },
    select: { email: true, name: true },
  });
}

/** How `user` stands towards an assignment: its rater, while it is not withdrawn. */
export function relationsToAssignment(user: { id: string }, a: { raterId: string; withdrawnAt: Date | null }): Relation[] {
  return a.raterId === user.id && a.withdrawnAt === null ? ["assigned-rater"] : [];
}
