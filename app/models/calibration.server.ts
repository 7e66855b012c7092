import type { Db, DbTx } from "#app/db.server";
import type { Framework } from "#app/domain/framework";
import { type PhaseId, phaseOf, planById } from "#app/domain/phases";
import {
  applicableItems,
  type CalibrationAttemptResult,
  type CalibrationStatus,
  calibrationAttemptResult,
  calibrationStatus,
  ratingSummary,
  type Scores,
  validateScores,
} from "#app/domain/rating-rules";
import { appendAuditEvent, audited } from "#app/models/audit.server";

/**
 * Rater calibration (docs/reliability.md, "Calibration"): a moderator marks a READY recording as calibration
 * material for one framework version and records its reference (gold) rating; a trainer (or moderator) rates it
 * once, through a CALIBRATION assignment, and their attempt is compared with the reference by the framework's
 * `rules.calibration`. Enough passed recordings make them calibrated for that framework version: a
 * RaterQualification row, scoped to the framework id + version (not a role). Every step is audited.
 */

type FrameworkRef = Pick<Framework, "id" | "version">;

const recordingSelect = {
  id: true,
  status: true,
  ownerId: true,
  kind: true,
  caseSession: { select: { number: true, case: { select: { clientCode: true, planId: true, supervisorId: true } } } },
} as const;

type RecordingFacts = {
  kind: "CASE_SESSION" | "ROLE_PLAY";
  caseSession: { number: number; case: { clientCode: string; planId: string } } | null;
};

/** The phase a recording is rated in: its session's phase in the case's plan, null for a role-play. */
export function phaseOfRecording(r: RecordingFacts): PhaseId | null {
  if (!r.caseSession) return null;
  return phaseOf(r.caseSession.number, planById(r.caseSession.case.planId)).id;
}

/** A short, pseudonymous label ("Case C-0417, session 4 (initial phase)"); never the trainee's name. */
export function recordingLabel(r: RecordingFacts): string {
  if (!r.caseSession) return "Role-play assessment";
  const phase = phaseOfRecording(r);
  return `Case ${r.caseSession.case.clientCode}, session ${r.caseSession.number}${phase ? ` (${phase} phase)` : ""}`;
}

const scoreMap = (rows: readonly { itemId: string; score: number | null }[]): Record<string, number | null> =>
  Object.fromEntries(rows.map((r) => [r.itemId, r.score]));

/** One ItemScore per framework item: the score of an applicable item, `notApplicable` for the others. */
function scoreRows(framework: Framework, phase: PhaseId | null, scores: Scores) {
  const applicable = new Set(applicableItems(framework, phase).map((i) => i.id));
  return framework.items.map((item) =>
    applicable.has(item.id)
      ? { itemId: item.id, score: scores[item.id] ?? null, notApplicable: false }
      : { itemId: item.id, score: null, notApplicable: true },
  );
}

// ---- Reading -----------------------------------------------------------------------------------------------------

/** Whether the rater holds a current qualification for this framework version. */
export async function isCalibrated(db: DbTx, raterId: string, framework: FrameworkRef): Promise<boolean> {
  const q = await db.raterQualification.findUnique({
    where: { raterId_frameworkId_frameworkVersion: { raterId, frameworkId: framework.id, frameworkVersion: framework.version } },
    select: { revokedAt: true },
  });
  return q !== null && q.revokedAt === null;
}

/** The rater's current qualifications, newest first. */
export async function qualificationsOf(db: DbTx, raterId: string) {
  return db.raterQualification.findMany({
    where: { raterId, revokedAt: null },
    orderBy: { calibratedAt: "desc" },
    select: { frameworkId: true, frameworkVersion: true, calibratedAt: true },
  });
}

export type CalibrationItem = {
  calibrationId: string;
  recordingId: string;
  label: string;
  phase: PhaseId | null;
  markedAt: Date;
  /** The reference rating is recorded (only then can it be attempted). */
  ready: boolean;
  /** The rater's own submitted attempt, with its result. */
  attempt: { ratingId: string; submittedAt: Date; scores: Record<string, number | null>; result: CalibrationAttemptResult } | null;
  /** The rater's open (started, not submitted) CALIBRATION assignment. */
  startedAssignmentId: string | null;
};

/** Where a rater stands for one framework version, for dashboards (the rater's ratings page). */
export async function calibrationSummary(db: DbTx, raterId: string, framework: Framework) {
  const { status, qualifiedAt } = await calibrationFor(db, raterId, framework);
  return { ...status, qualifiedAt, frameworkTitle: framework.title, frameworkVersion: framework.version };
}

/**
 * A rater's calibration for one framework version: every active calibration recording they may attempt (with
 * their own attempt and its result) and their status. Three queries, whatever the number of recordings.
 */
export async function calibrationFor(
  db: DbTx,
  raterId: string,
  framework: Framework,
): Promise<{ items: CalibrationItem[]; status: CalibrationStatus; qualifiedAt: Date | null }> {
  const [marked, attempts, qualification] = await Promise.all([
    db.calibrationRecording.findMany({
      // Not the material calibrationBarrier refuses this rater: their own recordings, references they recorded,
      // recordings they were assigned to rate for assessment.
      where: {
        frameworkId: framework.id,
        frameworkVersion: framework.version,
        withdrawnAt: null,
        recording: { ownerId: { not: raterId }, ratingAssignments: { none: { raterId, purpose: "SUMMATIVE" } } },
        OR: [{ referenceRatingId: null }, { referenceRating: { raterId: { not: raterId } } }],
      },
      orderBy: { markedAt: "asc" },
      select: {
        id: true,
        recordingId: true,
        markedAt: true,
        recording: { select: recordingSelect },
        referenceRating: { select: { scores: { select: { itemId: true, score: true } } } },
      },
    }),
    db.ratingAssignment.findMany({
      where: { raterId, purpose: "CALIBRATION", withdrawnAt: null },
      select: {
        id: true,
        recordingId: true,
        rating: {
          select: {
            id: true,
            status: true,
            submittedAt: true,
            frameworkId: true,
            frameworkVersion: true,
            scores: { select: { itemId: true, score: true } },
          },
        },
      },
    }),
    db.raterQualification.findUnique({
      where: { raterId_frameworkId_frameworkVersion: { raterId, frameworkId: framework.id, frameworkVersion: framework.version } },
      select: { calibratedAt: true, revokedAt: true },
    }),
  ]);
  const items: CalibrationItem[] = marked.map((c) => {
    const phase = phaseOfRecording(c.recording);
    const mine = attempts.filter((a) => a.recordingId === c.recordingId);
    const submitted = mine.find(
      (a) => a.rating?.status === "SUBMITTED" && a.rating.frameworkId === framework.id && a.rating.frameworkVersion === framework.version,
    );
    const reference = c.referenceRating ? scoreMap(c.referenceRating.scores) : null;
    const attempt =
      submitted?.rating?.submittedAt && reference
        ? {
            ratingId: submitted.rating.id,
            submittedAt: submitted.rating.submittedAt,
            scores: scoreMap(submitted.rating.scores),
            result: calibrationAttemptResult(framework, phase, scoreMap(submitted.rating.scores), reference),
          }
        : null;
    return {
      calibrationId: c.id,
      recordingId: c.recordingId,
      label: recordingLabel(c.recording),
      phase,
      markedAt: c.markedAt,
      ready: reference !== null,
      attempt,
      startedAssignmentId: attempt ? null : (mine.find((a) => a.rating?.status !== "SUBMITTED")?.id ?? null),
    };
  });
  // After a qualification was withdrawn only attempts submitted since count towards a new one.
  const since = qualification?.revokedAt ?? null;
  const status = calibrationStatus(
    framework,
    items.flatMap((i) =>
      i.attempt && (!since || i.attempt.submittedAt > since)
        ? [{ withinTolerance: i.attempt.result.withinTolerance, recordingId: i.recordingId }]
        : [],
    ),
  );
  const current = qualification && qualification.revokedAt === null ? qualification.calibratedAt : null;
  // A qualification already granted stays in force (only withdrawQualification ends it, never a later recording).
  return { items, status: current ? { ...status, calibrated: true } : status, qualifiedAt: current };
}

/** The calibration recording with what its pages need, or null. */
export async function getCalibrationRecording(db: DbTx, calibrationId: string) {
  const c = await db.calibrationRecording.findUnique({
    where: { id: calibrationId },
    select: {
      id: true,
      recordingId: true,
      frameworkId: true,
      frameworkVersion: true,
      markedAt: true,
      withdrawnAt: true,
      markedBy: { select: { name: true } },
      recording: { select: recordingSelect },
      referenceRating: {
        select: { id: true, submittedAt: true, rater: { select: { name: true } }, scores: { select: { itemId: true, score: true } } },
      },
    },
  });
  if (!c) return null;
  return {
    ...c,
    phase: phaseOfRecording(c.recording),
    label: recordingLabel(c.recording),
    reference: c.referenceRating ? scoreMap(c.referenceRating.scores) : null,
  };
}

export type CalibrationRecordingRow = NonNullable<Awaited<ReturnType<typeof getCalibrationRecording>>>;

/** Calibration material of a framework version and, for each, how many raters attempted and passed it (moderators). */
export async function calibrationMaterial(db: DbTx, framework: Framework) {
  const rows = await db.calibrationRecording.findMany({
    where: { frameworkId: framework.id, frameworkVersion: framework.version },
    orderBy: { markedAt: "asc" },
    select: {
      id: true,
      recordingId: true,
      markedAt: true,
      withdrawnAt: true,
      markedBy: { select: { name: true } },
      recording: { select: recordingSelect },
      referenceRating: { select: { scores: { select: { itemId: true, score: true } } } },
    },
  });
  const attempts = await db.rating.findMany({
    where: {
      kind: "CALIBRATION",
      status: "SUBMITTED",
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      recordingId: { in: rows.map((r) => r.recordingId) },
    },
    select: { recordingId: true, scores: { select: { itemId: true, score: true } } },
  });
  return rows.map((r) => {
    const phase = phaseOfRecording(r.recording);
    const reference = r.referenceRating ? scoreMap(r.referenceRating.scores) : null;
    const mine = attempts.filter((a) => a.recordingId === r.recordingId);
    return {
      calibrationId: r.id,
      recordingId: r.recordingId,
      label: recordingLabel(r.recording),
      markedAt: r.markedAt,
      markedBy: r.markedBy.name,
      withdrawn: r.withdrawnAt !== null,
      hasReference: reference !== null,
      attempts: mine.length,
      passed: reference
        ? mine.filter((a) => calibrationAttemptResult(framework, phase, scoreMap(a.scores), reference).withinTolerance).length
        : 0,
    };
  });
}

/** READY recordings a moderator could mark as calibration material for this framework version (newest first). */
export async function markableRecordings(db: DbTx, framework: FrameworkRef, take = 50) {
  const rows = await db.recording.findMany({
    where: {
      status: "READY",
      wrappedKey: { not: null },
      calibrations: { none: { frameworkId: framework.id, frameworkVersion: framework.version } },
    },
    orderBy: { completedAt: "desc" },
    take,
    select: { ...recordingSelect, completedAt: true, assessment: { select: { state: true } } },
  });
  return rows.map((r) => ({ recordingId: r.id, label: recordingLabel(r), rated: r.assessment?.state === "FINAL" }));
}

/** Raters (trainers and moderators) and their calibration for this framework version: for the moderators' page. */
export async function ratersAndCalibration(db: DbTx, framework: FrameworkRef) {
  const people = await db.user.findMany({
    where: { status: "ACTIVE", roles: { some: { role: { in: ["TRAINER", "MODERATOR"] } } } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      raterQualifications: {
        where: { frameworkId: framework.id, frameworkVersion: framework.version, revokedAt: null },
        select: { calibratedAt: true },
      },
    },
  });
  return people.map((p) => ({ id: p.id, name: p.name, calibratedAt: p.raterQualifications[0]?.calibratedAt ?? null }));
}

/**
 * Why `raterId` may not attempt this calibration recording, or null: their own recording, a reference they recorded
 * themselves, or a recording they were ever assigned to rate for assessment (they have seen it, and may have seen
 * its other ratings). The calibration pages treat each as "no such recording".
 */
export async function calibrationBarrier(
  db: DbTx,
  c: { recordingId: string; referenceRatingId: string | null; ownerId: string },
  raterId: string,
): Promise<CalibrationProblem | null> {
  if (c.ownerId === raterId) return "own-recording";
  const [reference, summative] = await Promise.all([
    c.referenceRatingId ? db.rating.findUnique({ where: { id: c.referenceRatingId }, select: { raterId: true } }) : null,
    db.ratingAssignment.count({ where: { recordingId: c.recordingId, raterId, purpose: "SUMMATIVE" } }),
  ]);
  if (reference?.raterId === raterId) return "own-reference";
  if (summative > 0) return "summative-rater";
  return null;
}

// ---- Writing -----------------------------------------------------------------------------------------------------

export type CalibrationProblem =
  | "not-found"
  | "not-ready"
  | "no-reference"
  | "reference-set"
  | "already-marked"
  | "already-attempted"
  | "own-recording"
  | "own-reference"
  | "summative-rater"
  | "framework-mismatch";

export const CALIBRATION_PROBLEM_MESSAGES: Record<CalibrationProblem, string> = {
  "not-found": "There is no such calibration recording.",
  "not-ready": "Only a recording that is ready to play can be calibration material.",
  "no-reference": "This calibration recording has no reference rating yet.",
  "reference-set": "The reference rating is already recorded; it cannot be changed once set.",
  "already-marked": "That recording is already calibration material for this framework version.",
  "already-attempted": "You have already rated this calibration recording: each is rated once.",
  "own-recording": "Nobody calibrates on their own recording.",
  "own-reference": "You recorded this recording's reference rating, so it cannot calibrate you.",
  "summative-rater": "You are (or were) a rater of this recording for assessment, so it cannot calibrate you.",
  "framework-mismatch": "This calibration recording belongs to another framework version.",
};

type Outcome<T> = ({ ok: true } & T) | { ok: false; problem: CalibrationProblem; errors?: Record<string, string> };

/** A moderator marks a READY recording as calibration material for one framework version. */
export async function markCalibrationRecording(
  db: Db,
  input: { recordingId: string; framework: FrameworkRef; markedById: string },
): Promise<Outcome<{ calibrationId: string }>> {
  return audited(db, async (tx) => {
    const r = await tx.recording.findUnique({ where: { id: input.recordingId }, select: { status: true, wrappedKey: true } });
    if (!r) return { ok: false, problem: "not-found" as const };
    if (r.status !== "READY" || r.wrappedKey === null) return { ok: false, problem: "not-ready" as const };
    const existing = await tx.calibrationRecording.findUnique({
      where: {
        recordingId_frameworkId_frameworkVersion: {
          recordingId: input.recordingId,
          frameworkId: input.framework.id,
          frameworkVersion: input.framework.version,
        },
      },
      select: { id: true },
    });
    if (existing) return { ok: false, problem: "already-marked" as const };
    const c = await tx.calibrationRecording.create({
      data: {
        recordingId: input.recordingId,
        frameworkId: input.framework.id,
        frameworkVersion: input.framework.version,
        markedById: input.markedById,
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "calibration.marked",
      actorId: input.markedById,
      subjectId: input.recordingId,
      data: { calibrationId: c.id, frameworkId: input.framework.id, frameworkVersion: input.framework.version },
    });
    return { ok: true, calibrationId: c.id };
  });
}

/** Withdraws calibration material (attempts and qualifications already made stay). */
export async function withdrawCalibrationRecording(db: Db, input: { calibrationId: string; by: string; now?: Date }): Promise<boolean> {
  return audited(db, async (tx) => {
    const done = await tx.calibrationRecording.updateMany({
      where: { id: input.calibrationId, withdrawnAt: null },
      data: { withdrawnAt: input.now ?? new Date() },
    });
    if (done.count === 0) return false;
    await appendAuditEvent(tx, { type: "calibration.withdrawn", actorId: input.by, subjectId: input.calibrationId });
    return true;
  });
}

/**
 * Withdraws a rater's calibration for one framework version (a moderator's decision, e.g. after their ratings drift
 * from the others'): they can no longer be assigned summative recordings of it; assignments they hold stay, for the
 * person assigning to replace. They calibrate again on material they have not yet attempted; attempts before the
 * withdrawal no longer count. False if they were not calibrated.
 */
export async function withdrawQualification(
  db: Db,
  input: { raterId: string; framework: FrameworkRef; by: string; now?: Date },
): Promise<boolean> {
  return audited(db, async (tx) => {
    const done = await tx.raterQualification.updateMany({
      where: { raterId: input.raterId, frameworkId: input.framework.id, frameworkVersion: input.framework.version, revokedAt: null },
      data: { revokedAt: input.now ?? new Date() },
    });
    if (done.count === 0) return false;
    await appendAuditEvent(tx, {
      type: "rating.rater-calibration-withdrawn",
      actorId: input.by,
      subjectId: input.raterId,
      data: { framework: `${input.framework.id} v${input.framework.version}` },
    });
    return true;
  });
}

/**
 * The reference (gold) rating of a calibration recording, recorded once by a moderator: a REFERENCE rating with a
 * row per item (every applicable item scored, as `validateScores` demands).
 */
export async function recordReferenceRating(
  db: Db,
  input: { calibrationId: string; framework: Framework; moderatorId: string; scores: Scores; now?: Date },
): Promise<Outcome<{ ratingId: string }>> {
  const now = input.now ?? new Date();
  return audited(db, async (tx) => {
    const c = await tx.calibrationRecording.findUnique({
      where: { id: input.calibrationId },
      select: {
        id: true,
        recordingId: true,
        frameworkId: true,
        frameworkVersion: true,
        referenceRatingId: true,
        withdrawnAt: true,
        recording: { select: recordingSelect },
      },
    });
    if (!c || c.withdrawnAt) return { ok: false, problem: "not-found" as const };
    if (c.frameworkId !== input.framework.id || c.frameworkVersion !== input.framework.version) {
      return { ok: false, problem: "framework-mismatch" as const };
    }
    if (c.referenceRatingId) return { ok: false, problem: "reference-set" as const };
    const phase = phaseOfRecording(c.recording);
    const errors = validateScores(input.framework, phase, input.scores);
    if (Object.keys(errors).length) return { ok: false, problem: "no-reference" as const, errors };
    const summary = ratingSummary(input.framework, phase, input.scores);
    const rating = await tx.rating.create({
      data: {
        recordingId: c.recordingId,
        raterId: input.moderatorId,
        kind: "REFERENCE",
        status: "SUBMITTED",
        frameworkId: input.framework.id,
        frameworkVersion: input.framework.version,
        phase,
        mean: summary.mean,
        competent: summary.competent,
        submittedAt: now,
      },
      select: { id: true },
    });
    await tx.itemScore.createMany({
      data: scoreRows(input.framework, phase, input.scores).map((s) => ({
        ...s,
        ratingId: rating.id,
        recordingId: c.recordingId,
        raterId: input.moderatorId,
      })),
    });
    const linked = await tx.calibrationRecording.updateMany({
      where: { id: c.id, referenceRatingId: null },
      data: { referenceRatingId: rating.id },
    });
    if (linked.count !== 1) throw new Error("The reference rating was recorded by someone else at the same time.");
    await appendAuditEvent(tx, {
      type: "calibration.reference-recorded",
      actorId: input.moderatorId,
      subjectId: c.recordingId,
      data: { calibrationId: c.id, ratingId: rating.id },
    });
    return { ok: true, ratingId: rating.id };
  });
}

/**
 * Starts a calibration attempt: a CALIBRATION assignment of the rater to the recording (so that they may play it,
 * like any assigned rater). Starting again returns the open assignment.
 */
export async function startCalibrationAttempt(
  db: Db,
  input: { calibrationId: string; framework: FrameworkRef; raterId: string },
): Promise<Outcome<{ assignmentId: string }>> {
  return audited(db, async (tx) => {
    const c = await tx.calibrationRecording.findUnique({
      where: { id: input.calibrationId },
      select: {
        recordingId: true,
        frameworkId: true,
        frameworkVersion: true,
        withdrawnAt: true,
        referenceRatingId: true,
        recording: { select: { ownerId: true } },
      },
    });
    if (!c || c.withdrawnAt) return { ok: false, problem: "not-found" as const };
    if (c.frameworkId !== input.framework.id || c.frameworkVersion !== input.framework.version) {
      return { ok: false, problem: "framework-mismatch" as const };
    }
    if (!c.referenceRatingId) return { ok: false, problem: "no-reference" as const };
    const barrier = await calibrationBarrier(tx, { ...c, ownerId: c.recording.ownerId }, input.raterId);
    if (barrier) return { ok: false, problem: barrier };
    const open = await tx.ratingAssignment.findMany({
      where: { recordingId: c.recordingId, raterId: input.raterId, purpose: "CALIBRATION", withdrawnAt: null },
      select: { id: true, rating: { select: { status: true, frameworkId: true, frameworkVersion: true } } },
    });
    if (
      open.some(
        (a) =>
          a.rating?.status === "SUBMITTED" &&
          a.rating.frameworkId === input.framework.id &&
          a.rating.frameworkVersion === input.framework.version,
      )
    ) {
      return { ok: false, problem: "already-attempted" as const };
    }
    const pending = open.find((a) => a.rating === null || a.rating.status !== "SUBMITTED");
    if (pending) return { ok: true, assignmentId: pending.id };
    const a = await tx.ratingAssignment.create({
      data: {
        recordingId: c.recordingId,
        raterId: input.raterId,
        role: "PRIMARY",
        purpose: "CALIBRATION",
        blind: true,
        assignedById: input.raterId,
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "calibration.started",
      actorId: input.raterId,
      subjectId: c.recordingId,
      data: { calibrationId: input.calibrationId, assignmentId: a.id },
    });
    return { ok: true, assignmentId: a.id };
  });
}

/**
 * Compares a submitted CALIBRATION rating with its recording's reference and, when the rater's passed recordings
 * now reach `rules.calibration.recordingsRequired`, creates their RaterQualification for that framework version.
 * Runs inside the caller's transaction (submitCalibrationAttempt's). Idempotent.
 */
export async function settleCalibrationAttempt(
  tx: DbTx,
  framework: Framework,
  ratingId: string,
  now = new Date(),
): Promise<{ result: CalibrationAttemptResult; status: CalibrationStatus; newlyCalibrated: boolean }> {
  const rating = await tx.rating.findUniqueOrThrow({
    where: { id: ratingId },
    select: {
      raterId: true,
      recordingId: true,
      kind: true,
      status: true,
      phase: true,
      frameworkId: true,
      frameworkVersion: true,
      scores: { select: { itemId: true, score: true } },
    },
  });
  if (rating.kind !== "CALIBRATION" || rating.status !== "SUBMITTED" || !rating.raterId) {
    throw new Error(`Rating ${ratingId} is not a submitted calibration rating.`);
  }
  if (rating.frameworkId !== framework.id || rating.frameworkVersion !== framework.version) {
    throw new Error(
      `Rating ${ratingId} uses ${rating.frameworkId} v${rating.frameworkVersion}, not ${framework.id} v${framework.version}.`,
    );
  }
  const raterId = rating.raterId;
  // Every submitted calibration rating of this rater for this version, against its recording's reference.
  // Only active material counts (as on the rater's calibration page), and after a withdrawn qualification only the
  // attempts submitted since.
  const qualificationKey = { raterId, frameworkId: framework.id, frameworkVersion: framework.version };
  const existing = await tx.raterQualification.findUnique({
    where: { raterId_frameworkId_frameworkVersion: qualificationKey },
    select: { id: true, revokedAt: true },
  });
  const [mine, references] = await Promise.all([
    tx.rating.findMany({
      where: {
        raterId,
        kind: "CALIBRATION",
        status: "SUBMITTED",
        frameworkId: framework.id,
        frameworkVersion: framework.version,
        ...(existing?.revokedAt ? { submittedAt: { gt: existing.revokedAt } } : {}),
      },
      select: { id: true, recordingId: true, phase: true, scores: { select: { itemId: true, score: true } } },
    }),
    tx.calibrationRecording.findMany({
      where: { frameworkId: framework.id, frameworkVersion: framework.version, referenceRatingId: { not: null }, withdrawnAt: null },
      select: { recordingId: true, referenceRating: { select: { scores: { select: { itemId: true, score: true } } } } },
    }),
  ]);
  const referenceOf = new Map(references.map((r) => [r.recordingId, r.referenceRating ? scoreMap(r.referenceRating.scores) : null]));
  const asPhase = (p: string | null) => (p === "initial" || p === "middle" || p === "ending" ? p : null);
  const results = mine.flatMap((m) => {
    const reference = referenceOf.get(m.recordingId);
    if (!reference) return [];
    return [
      {
        ratingId: m.id,
        recordingId: m.recordingId,
        ...calibrationAttemptResult(framework, asPhase(m.phase), scoreMap(m.scores), reference),
      },
    ];
  });
  const result = results.find((r) => r.ratingId === ratingId);
  if (!result) throw new Error(`The recording of rating ${ratingId} has no reference rating.`);
  const status = calibrationStatus(framework, results);
  let newlyCalibrated = false;
  if (status.calibrated) {
    if (!existing || existing.revokedAt) {
      if (existing) await tx.raterQualification.update({ where: { id: existing.id }, data: { calibratedAt: now, revokedAt: null } });
      else await tx.raterQualification.create({ data: { ...qualificationKey, calibratedAt: now } });
      // The same event as markCalibrated (app/models/rating.server.ts) writes: one record of "became calibrated".
      await appendAuditEvent(tx, {
        type: "rating.rater-calibrated",
        actorId: raterId,
        subjectId: raterId,
        data: { framework: `${framework.id} v${framework.version}`, by: "calibration", passed: status.passed, required: status.required },
      });
      newlyCalibrated = true;
    }
  }
  const { withinTolerance, itemAgreement, competenceAgrees } = result;
  return { result: { withinTolerance, itemAgreement, competenceAgrees }, status, newlyCalibrated };
}

/**
 * Submits a calibration attempt (scores of the applicable items) in one transaction: the CALIBRATION rating and
 * its item rows, the comparison with the reference, and the qualification when it is earned.
 */
export async function submitCalibrationAttempt(
  db: Db,
  input: { calibrationId: string; framework: Framework; raterId: string; scores: Scores; now?: Date },
): Promise<Outcome<{ ratingId: string; result: CalibrationAttemptResult; status: CalibrationStatus; newlyCalibrated: boolean }>> {
  const now = input.now ?? new Date();
  return audited(db, async (tx) => {
    const c = await tx.calibrationRecording.findUnique({
      where: { id: input.calibrationId },
      select: {
        recordingId: true,
        frameworkId: true,
        frameworkVersion: true,
        withdrawnAt: true,
        referenceRatingId: true,
        recording: { select: recordingSelect },
      },
    });
    if (!c || c.withdrawnAt) return { ok: false, problem: "not-found" as const };
    if (c.frameworkId !== input.framework.id || c.frameworkVersion !== input.framework.version) {
      return { ok: false, problem: "framework-mismatch" as const };
    }
    if (!c.referenceRatingId) return { ok: false, problem: "no-reference" as const };
    const barrier = await calibrationBarrier(tx, { ...c, ownerId: c.recording.ownerId }, input.raterId);
    if (barrier) return { ok: false, problem: barrier };
    const phase = phaseOfRecording(c.recording);
    const errors = validateScores(input.framework, phase, input.scores);
    if (Object.keys(errors).length) return { ok: false, problem: "not-ready" as const, errors };
    const assignments = await tx.ratingAssignment.findMany({
      where: { recordingId: c.recordingId, raterId: input.raterId, purpose: "CALIBRATION", withdrawnAt: null },
      select: { id: true, rating: { select: { id: true, status: true, frameworkId: true, frameworkVersion: true } } },
    });
    if (
      assignments.some(
        (a) =>
          a.rating?.status === "SUBMITTED" &&
          a.rating.frameworkId === input.framework.id &&
          a.rating.frameworkVersion === input.framework.version,
      )
    ) {
      return { ok: false, problem: "already-attempted" as const };
    }
    const open = assignments.find((a) => a.rating === null);
    const assignmentId =
      open?.id ??
      (
        await tx.ratingAssignment.create({
          data: {
            recordingId: c.recordingId,
            raterId: input.raterId,
            role: "PRIMARY",
            purpose: "CALIBRATION",
            blind: true,
            assignedById: input.raterId,
          },
          select: { id: true },
        })
      ).id;
    const summary = ratingSummary(input.framework, phase, input.scores);
    const rating = await tx.rating.create({
      data: {
        assignmentId,
        recordingId: c.recordingId,
        raterId: input.raterId,
        kind: "CALIBRATION",
        status: "SUBMITTED",
        frameworkId: input.framework.id,
        frameworkVersion: input.framework.version,
        phase,
        mean: summary.mean,
        competent: summary.competent,
        submittedAt: now,
      },
      select: { id: true },
    });
    await tx.itemScore.createMany({
      data: scoreRows(input.framework, phase, input.scores).map((s) => ({
        ...s,
        ratingId: rating.id,
        recordingId: c.recordingId,
        raterId: input.raterId,
      })),
    });
    const settled = await settleCalibrationAttempt(tx, input.framework, rating.id, now);
    await appendAuditEvent(tx, {
      type: "calibration.attempted",
      actorId: input.raterId,
      subjectId: c.recordingId,
      data: {
        calibrationId: input.calibrationId,
        ratingId: rating.id,
        withinTolerance: settled.result.withinTolerance,
        itemAgreement: Math.round(settled.result.itemAgreement * 1000) / 1000,
      },
    });
    return { ok: true, ratingId: rating.id, ...settled };
  });
}
