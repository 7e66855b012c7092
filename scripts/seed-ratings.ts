// The demo's rating history (scripts/seed.ts calls it): enough double-rated recordings for the reliability page to
// show real figures, calibration recordings with reference ratings, and raters who are (and one who is not yet)
// calibrated. Rows are written directly, as the rating workflow leaves them: the workflow itself is exercised by the
// tests, and the demo should not take minutes to seed. See docs/reliability.md.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { currentFramework } from "#app/content.server/frameworks.server";
import type { Db } from "#app/db.server";
import type { Framework } from "#app/domain/framework";
import { phaseOf } from "#app/domain/phases";
import { applicableItems, compareRatings, deriveFinal, ratingSummary } from "#app/domain/rating-rules";
import type { Prisma } from "#app/generated/prisma/client";
import { markCalibrationRecording, recordReferenceRating } from "#app/models/calibration.server";
import { attestConsent, createCase, recordSession, setCaseStatus } from "#app/models/case.server";
import { addCohortMember, createCohort } from "#app/models/cohort.server";
import { markCalibrated } from "#app/models/rating.server";
import { createActiveUser } from "#app/models/user.server";
import { importRecording } from "#app/recordings/import.server";

/** Trainees of an earlier cohort whose rated recordings make the reliability figures. They can sign in too. */
export const PAST_TRAINEES = [
  { email: "alex.past@attune.test", name: "Alex Harper" },
  { email: "bea.past@attune.test", name: "Bea Lindqvist" },
  { email: "cal.past@attune.test", name: "Cal Okafor" },
  { email: "dana.past@attune.test", name: "Dana Whitfield" },
  { email: "eli.past@attune.test", name: "Eli Marchetti" },
  { email: "fern.past@attune.test", name: "Fern Castellano" },
];

/** The sessions rated in each past case: one per DIT phase (sessions 4, 8 and 14). */
const RATED_SESSIONS = [4, 8, 14];

/**
 * The reference ratings of the demo's calibration recordings (sessions of the first past trainee's open case), by
 * session: every applicable item scored 4 except the first, scored 3. The calibration e2e test rates with these.
 */
export const CALIBRATION_SESSIONS = [2, 7, 15];
export function calibrationReference(framework: Framework, session: number): Record<string, number> {
  return Object.fromEntries(applicableItems(framework, phaseOf(session).id).map((item, i) => [item.id, i === 0 ? 3 : 4]));
}

const DAY = 86_400_000;

/** A small deterministic PRNG (mulberry32), so every seeded demo has the same figures. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedRatingHistory(db: Db, ids: Record<string, string>, password: string) {
  const framework = currentFramework();
  const id = (email: string) => {
    const found = ids[email];
    if (!found) throw new Error(`seed: no account ${email}`);
    return found;
  };
  const admin = id("admin@attune.test");
  const moderator = id("moderator@attune.test");
  const tess = id("trainer@attune.test");
  const theo = id("trainer2@attune.test");
  const rae = id("rater@attune.test");
  const random = prng(20261201);
  const normal = () => {
    // Box–Muller from two uniforms.
    const u = Math.max(random(), 1e-9);
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const clamp = (x: number) => Math.max(framework.scale.min, Math.min(framework.scale.max, Math.round(x)));

  // Raters' habits: Theo starts harsh and eases over the year (drift); Rae is a little lenient; Tess is on the line.
  const severity = (rater: string, t: number) => (rater === theo ? -0.7 + 0.5 * t : rater === rae ? 0.35 : 0);
  // Some items are harder than others for every trainee.
  const itemEffect = new Map(framework.items.map((item, i) => [item.id, ((i * 7) % 5) / 4 - 0.5]));

  // Rae is calibrated for the framework version the demo rates against (the moderator, Tess and Theo are marked with
  // the demo's first rating assignments); trainer3 is new and not calibrated.
  await markCalibrated(db, { raterId: rae, framework, by: admin, now: new Date(Date.now() - 400 * DAY) });

  const cohort = await createCohort(db, {
    name: "DIT practitioner course — winter 2025",
    startsOn: new Date(Date.now() - 420 * DAY),
    endsOn: new Date(Date.now() - 40 * DAY),
    by: admin,
  });
  if (!cohort.ok) throw new Error("seed: could not create the past cohort");
  await addCohortMember(db, { cohortId: cohort.id, userId: tess, role: "TRAINER", supervisorId: null, by: admin });
  await addCohortMember(db, { cohortId: cohort.id, userId: theo, role: "TRAINER", supervisorId: null, by: admin });

  const raters = [tess, theo, rae];
  let recordingIndex = 0;
  const total = PAST_TRAINEES.length * 2 * RATED_SESSIONS.length;
  let calibrationCase: { caseId: string; traineeId: string } | null = null;

  // The rating rows are collected and written at the end with one createMany per table: a few statements instead
  // of hundreds keeps `npm run db:seed` fast.
  const rows: Rows = { recordings: [], assignments: [], ratings: [], scores: [], assessments: [], moderations: [] };
  // Their accounts first, hashed in parallel (argon2 is most of an account's cost).
  const made = await Promise.all(PAST_TRAINEES.map((person) => createActiveUser(db, { ...person, roles: ["TRAINEE"], password })));
  for (const [t, person] of PAST_TRAINEES.entries()) {
    const account = made[t];
    if (!account?.ok) throw new Error(`seed: could not create ${person.email}`);
    const traineeId = account.userId;
    ids[person.email] = traineeId;
    const supervisor = t % 2 === 0 ? tess : theo;
    await addCohortMember(db, { cohortId: cohort.id, userId: traineeId, role: "TRAINEE", supervisorId: supervisor, by: admin });
    const ability = 1.9 + (t % 3) * 0.55 + (t >= 3 ? 0.3 : 0);

    for (const c of [0, 1]) {
      const startedOn = new Date(Date.now() - (380 - t * 12 - c * 90) * DAY);
      const created = await createCase(db, { traineeId, supervisorId: supervisor, clientCode: `P-${2100 + t * 10 + c}`, startedOn });
      if (!created.ok) throw new Error(`seed: could not create a past case (${created.error})`);
      await attestConsent(db, {
        caseId: created.id,
        attestedById: traineeId,
        consentOn: startedOn,
        method: "WRITTEN_FORM",
        forSupervision: true,
        forAssessment: true,
      });
      const consent = await db.consentAttestation.findFirstOrThrow({ where: { caseId: created.id }, select: { id: true } });
      // Only the sessions that are rated (or, in the open case, used for calibration) are recorded: it keeps the seed fast.
      const sessions = t === 0 && c === 1 ? [...RATED_SESSIONS, ...CALIBRATION_SESSIONS].sort((x, y) => x - y) : RATED_SESSIONS;
      for (const s of sessions) {
        const phq9 = Math.max(0, 18 - s + Math.round(normal()));
        await recordSession(db, {
          caseId: created.id,
          number: s,
          heldOn: new Date(startedOn.getTime() + (s - 1) * 7 * DAY),
          phq9,
          gad7: Math.max(0, Math.round(phq9 * 0.7)),
        });
      }
      if (t === 0 && c === 1) {
        // This case stays open: its calibration recordings come from it.
        calibrationCase = { caseId: created.id, traineeId };
      }
      const caseSessions = await db.caseSession.findMany({ where: { caseId: created.id }, select: { id: true, number: true } });
      for (const [k, session] of RATED_SESSIONS.entries()) {
        const progress = recordingIndex / total;
        const at = new Date(Date.now() - (330 - Math.round(progress * 300)) * DAY);
        const recordingId = randomUUID();
        rows.recordings.push({
          id: recordingId,
          ownerId: traineeId,
          kind: "CASE_SESSION",
          caseSessionId: caseSessions.find((x) => x.number === session)?.id ?? null,
          consentId: consent.id,
          status: "PURGED",
          uploadId: `seed-past-${t}-${c}-${session}`,
          store: "fs",
          declaredSize: 1,
          receivedBytes: 1,
          mimeType: "audio/ogg",
          hasVideo: false,
          durationSeconds: 2900 + k * 60,
          completedAt: new Date(at.getTime() - 10 * DAY),
          deleteAfter: new Date(at.getTime() + 30 * DAY),
          purgedAt: new Date(Math.min(Date.now(), at.getTime() + 30 * DAY)),
        });
        const phase = phaseOf(session).id;
        const items = applicableItems(framework, phase);
        const theta = ability + 0.35 * (c * 3 + k);
        const truth = new Map(items.map((item) => [item.id, theta + (itemEffect.get(item.id) ?? 0)]));
        // The case supervisor is the primary rater; the blind second rater is one of the other two.
        const others = raters.filter((r) => r !== supervisor);
        const pair = [supervisor, others[recordingIndex % others.length] as string] as const;
        const scoresOf = (rater: string) =>
          Object.fromEntries(
            items.map((item) => [item.id, clamp((truth.get(item.id) ?? 3) + severity(rater, progress) + 0.45 * normal())]),
          );
        const a = scoresOf(pair[0]);
        const b = scoresOf(pair[1]);
        for (const [n, rater] of pair.entries()) {
          const assignmentId = randomUUID();
          rows.assignments.push({
            id: assignmentId,
            recordingId,
            raterId: rater,
            role: n === 0 ? "PRIMARY" : "SECOND",
            purpose: "SUMMATIVE",
            blind: true,
            assignedById: supervisor,
            assignedAt: new Date(at.getTime() - 9 * DAY),
          });
          rating(rows, framework, {
            recordingId,
            raterId: rater,
            assignmentId,
            kind: "PROVISIONAL",
            phase,
            scores: n === 0 ? a : b,
            at: new Date(at.getTime() - (n === 0 ? 3 : 1) * DAY),
          });
        }
        const comparison = compareRatings(framework, phase, a, b);
        const moderated = !comparison.agree;
        const final = moderated
          ? Object.fromEntries(items.map((item) => [item.id, clamp((truth.get(item.id) ?? 3) + 0.3 * normal())]))
          : deriveFinal(framework, phase, a, b);
        const finalId = rating(rows, framework, {
          recordingId,
          raterId: moderated ? moderator : null,
          kind: moderated ? "MODERATED" : "DERIVED",
          phase,
          scores: final,
          at,
        });
        const assessmentId = randomUUID();
        rows.assessments.push({
          id: assessmentId,
          recordingId,
          frameworkId: framework.id,
          frameworkVersion: framework.version,
          phase,
          secondRaterRequired: true,
          state: "FINAL",
          finalRatingId: finalId,
          decidedBy: moderated ? "MODERATED" : "DERIVED",
          finalizedAt: at,
          releasedAt: at,
        });
        if (moderated) {
          rows.moderations.push({
            assessmentId,
            reasons: JSON.stringify(comparison.reasons),
            openedAt: new Date(at.getTime() - DAY),
            moderatorId: moderator,
            rationale: "Listened to the whole session; scored each item on the evidence across the session (demo data).",
            finalRatingId: finalId,
            settledAt: at,
          });
        }
        recordingIndex++;
      }
      if (!(t === 0 && c === 1)) await setCaseStatus(db, { caseId: created.id, by: traineeId, from: "OPEN", to: "ENDED" });
    }
  }

  await db.$transaction(async (tx) => {
    await tx.recording.createMany({ data: rows.recordings });
    await tx.ratingAssignment.createMany({ data: rows.assignments });
    await tx.rating.createMany({ data: rows.ratings });
    await tx.itemScore.createMany({ data: rows.scores });
    await tx.recordingAssessment.createMany({ data: rows.assessments });
    await tx.moderation.createMany({ data: rows.moderations });
  });

  // Calibration material: three short demo recordings (a tone, not a session), one per phase, each with a
  // reference rating by the moderator.
  if (!calibrationCase) throw new Error("seed: no case for the calibration recordings");
  const demo = readFileSync(path.join(import.meta.dirname, "seed-media", "demo-session.ogg"));
  for (const session of CALIBRATION_SESSIONS) {
    const caseSession = await db.caseSession.findFirstOrThrow({
      where: { caseId: calibrationCase.caseId, number: session },
      select: { id: true },
    });
    const imported = await importRecording(db, {
      ownerId: calibrationCase.traineeId,
      target: { kind: "CASE_SESSION", caseSessionId: caseSession.id },
      bytes: demo,
    });
    if (!imported.ok) throw new Error(`seed: could not store a calibration recording (${imported.error})`);
    const marked = await markCalibrationRecording(db, { recordingId: imported.id, framework, markedById: moderator });
    if (!marked.ok) throw new Error(`seed: could not mark a calibration recording (${marked.problem})`);
    const reference = await recordReferenceRating(db, {
      calibrationId: marked.calibrationId,
      framework,
      moderatorId: moderator,
      scores: calibrationReference(framework, session),
    });
    if (!reference.ok) throw new Error(`seed: could not record a reference rating (${reference.problem})`);
  }
  return { recordings: recordingIndex };
}

type Rows = {
  recordings: Prisma.RecordingCreateManyInput[];
  assignments: Prisma.RatingAssignmentCreateManyInput[];
  ratings: Prisma.RatingCreateManyInput[];
  scores: Prisma.ItemScoreCreateManyInput[];
  assessments: Prisma.RecordingAssessmentCreateManyInput[];
  moderations: Prisma.ModerationCreateManyInput[];
};

/** Adds a SUBMITTED rating and its item rows (every framework item: scored, or not applicable); returns its id. */
function rating(
  rows: Rows,
  framework: Framework,
  input: {
    recordingId: string;
    raterId: string | null;
    assignmentId?: string;
    kind: "PROVISIONAL" | "DERIVED" | "MODERATED";
    phase: "initial" | "middle" | "ending";
    scores: Record<string, number>;
    at: Date;
  },
): string {
  const id = randomUUID();
  const summary = ratingSummary(framework, input.phase, input.scores);
  rows.ratings.push({
    id,
    assignmentId: input.assignmentId ?? null,
    recordingId: input.recordingId,
    raterId: input.raterId,
    kind: input.kind,
    status: "SUBMITTED",
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    phase: input.phase,
    overallFeedback: input.kind === "PROVISIONAL" ? "Demo rating." : "",
    mean: summary.mean,
    competent: summary.competent,
    createdAt: input.at,
    submittedAt: input.at,
  });
  for (const item of framework.items) {
    rows.scores.push({
      ratingId: id,
      recordingId: input.recordingId,
      raterId: input.raterId,
      itemId: item.id,
      score: input.scores[item.id] ?? null,
      notApplicable: !(item.id in input.scores),
    });
  }
  return id;
}
