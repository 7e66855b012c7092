// Rating rows for the reliability, calibration and competence tests: recordings rated by two raters with a final
// rating, written as the rating workflow leaves them (assignments, SUBMITTED ratings, a row per item score, a FINAL
// assessment). The workflow itself belongs to the rating screens; these tests read what it leaves behind.
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { phaseOf } from "#app/domain/phases";
import { applicableItems, ratingSummary } from "#app/domain/rating-rules";
import { recordSession } from "#app/models/case.server";
import { reservedRecording, type TraineeScene } from "./recording-fixtures";

/**
 * A recording row of a session of the scene's case (session `number`, recorded if new), made READY with a stand-in
 * key (nothing plays it): what calibration marking and the rating tables need.
 */
export async function readyRecordingRow(scene: TraineeScene, number = 1): Promise<string> {
  const db = getDb();
  let session = await db.caseSession.findFirst({ where: { caseId: scene.caseId, number } });
  if (!session) {
    await recordSession(db, { caseId: scene.caseId, number, heldOn: new Date("2026-10-15"), phq9: 12, gad7: 8 });
    session = await db.caseSession.findFirstOrThrow({ where: { caseId: scene.caseId, number } });
  }
  const id = await reservedRecording({ ...scene, sessionId: session.id });
  await db.recording.update({
    where: { id },
    data: {
      status: "READY",
      wrappedKey: "test-wrapped-key",
      keyId: "test",
      mimeType: "audio/ogg",
      completedAt: new Date(),
      durationSeconds: 60,
    },
  });
  return id;
}

type Scores = Record<string, number>;

/** Scores of every item applicable to a session number, from a function of the item's index. */
export function scoresFor(number: number, f: (i: number, itemId: string) => number): Scores {
  const framework = currentFramework();
  return Object.fromEntries(applicableItems(framework, phaseOf(number).id).map((item, i) => [item.id, f(i, item.id)]));
}

async function rating(input: {
  recordingId: string;
  raterId: string | null;
  kind: "PROVISIONAL" | "DERIVED" | "MODERATED" | "REFERENCE" | "CALIBRATION";
  assignmentId?: string;
  phase: string | null;
  scores: Scores;
  submittedAt: Date;
}): Promise<string> {
  const framework = currentFramework();
  const summary = ratingSummary(framework, input.phase as "initial" | null, input.scores);
  const db = getDb();
  const r = await db.rating.create({
    data: {
      assignmentId: input.assignmentId ?? null,
      recordingId: input.recordingId,
      raterId: input.raterId,
      kind: input.kind,
      status: "SUBMITTED",
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      phase: input.phase,
      mean: summary.mean,
      competent: summary.competent,
      submittedAt: input.submittedAt,
    },
  });
  await db.itemScore.createMany({
    data: framework.items.map((item) => ({
      ratingId: r.id,
      recordingId: input.recordingId,
      raterId: input.raterId,
      itemId: item.id,
      score: input.scores[item.id] ?? null,
      notApplicable: !(item.id in input.scores),
    })),
  });
  return r.id;
}

/**
 * A recording rated by a primary and a second rater, with its final rating (DERIVED unless `moderatedBy`), FINAL
 * and released. Returns the rating ids.
 */
export async function doubleRated(input: {
  recordingId: string;
  session: number;
  primary: { raterId: string; scores: Scores };
  second: { raterId: string; scores: Scores };
  final: Scores;
  moderatedBy?: string;
  at: Date;
  assignedBy: string;
  released?: boolean;
}) {
  const db = getDb();
  const framework = currentFramework();
  const phase = phaseOf(input.session).id;
  const ids: string[] = [];
  for (const [role, who] of [
    ["PRIMARY", input.primary],
    ["SECOND", input.second],
  ] as const) {
    const a = await db.ratingAssignment.create({
      data: {
        recordingId: input.recordingId,
        raterId: who.raterId,
        role,
        purpose: "SUMMATIVE",
        blind: true,
        assignedById: input.assignedBy,
      },
    });
    ids.push(
      await rating({
        recordingId: input.recordingId,
        raterId: who.raterId,
        kind: "PROVISIONAL",
        assignmentId: a.id,
        phase,
        scores: who.scores,
        submittedAt: input.at,
      }),
    );
  }
  const finalId = await rating({
    recordingId: input.recordingId,
    raterId: input.moderatedBy ?? null,
    kind: input.moderatedBy ? "MODERATED" : "DERIVED",
    phase,
    scores: input.final,
    submittedAt: input.at,
  });
  await db.recordingAssessment.create({
    data: {
      recordingId: input.recordingId,
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      phase,
      secondRaterRequired: true,
      state: "FINAL",
      finalRatingId: finalId,
      decidedBy: input.moderatedBy ? "MODERATED" : "DERIVED",
      finalizedAt: input.at,
      releasedAt: input.released === false ? null : input.at,
    },
  });
  return { primaryId: ids[0] as string, secondId: ids[1] as string, finalId };
}
