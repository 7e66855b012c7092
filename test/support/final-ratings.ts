// Final ratings for tests of what reads them (the pathway, certificates): the rows wt-rate's workflow leaves when a
// recording's assessment is final — a DERIVED rating with its item scores, and a FINAL RecordingAssessment — written
// directly, with a recording row reserved the way the upload gate reserves it. For the rating workflow itself see
// its own tests.
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import type { PhaseId } from "#app/domain/phases";
import { applicableItems, ratingSummary } from "#app/domain/rating-rules";
import { reserveUpload } from "#app/models/recording.server";

/** A recording row of a case session (or, with `caseSessionId` null, a role-play) of `ownerId`, under `consentId`. */
export async function recordingRow(input: { ownerId: string; caseSessionId: string | null; consentId: string }): Promise<string> {
  const { id } = await reserveUpload(getDb(), {
    ownerId: input.ownerId,
    kind: input.caseSessionId ? "CASE_SESSION" : "ROLE_PLAY",
    caseSessionId: input.caseSessionId,
    consentId: input.consentId,
    declaredSize: 1000,
    store: "fs",
    deleteAfter: new Date(Date.now() + 86_400_000),
  });
  return id;
}

/**
 * Makes the final rating of `recordingId` with the current framework (every item applicable to the phase scored 4,
 * or 1 when not competent; the mean and outcome from the framework's own rule), finalised and released at
 * `finalizedAt`. For ratings by two raters with their assignments, see rating-rows.ts (`doubleRated`). Returns the
 * rating's id.
 */
export async function finalRating(
  recordingId: string,
  { phase, competent = true, finalizedAt = new Date() }: { phase: PhaseId | null; competent?: boolean; finalizedAt?: Date },
): Promise<string> {
  const db = getDb();
  const framework = currentFramework();
  const scores = Object.fromEntries(applicableItems(framework, phase).map((item) => [item.id, competent ? 4 : 1]));
  const summary = ratingSummary(framework, phase, scores);
  if (summary.competent !== competent) throw new Error("the framework's rule disagrees with the wanted outcome");
  const rating = await db.rating.create({
    data: {
      recordingId,
      kind: "DERIVED",
      status: "SUBMITTED",
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      phase,
      mean: summary.mean,
      competent: summary.competent,
      submittedAt: finalizedAt,
    },
    select: { id: true },
  });
  await db.itemScore.createMany({
    data: framework.items.map((item) => ({
      ratingId: rating.id,
      recordingId,
      itemId: item.id,
      score: scores[item.id] ?? null,
      notApplicable: !(item.id in scores),
    })),
  });
  await db.recordingAssessment.create({
    data: {
      recordingId,
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      phase,
      secondRaterRequired: false,
      state: "FINAL",
      finalRatingId: rating.id,
      decidedBy: "SINGLE",
      finalizedAt,
      releasedAt: finalizedAt,
    },
  });
  return rating.id;
}
