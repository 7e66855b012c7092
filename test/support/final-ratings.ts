// Final ratings for tests of what reads them (the pathway, certificates): the rows wt-rate's workflow leaves when a
// recording's assessment is final — a DERIVED rating with its item scores, and a FINAL RecordingAssessment — written
// directly, with a recording row reserved the way the upload gate reserves it. For the rating workflow itself see
// its own tests.
import { getDb } from "#app/db.server";
import type { PhaseId } from "#app/domain/phases";
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

/** Makes the final rating of `recordingId`: competent or not, finalised at `finalizedAt`. Returns the rating's id. */
export async function finalRating(
  recordingId: string,
  {
    phase,
    competent = true,
    finalizedAt = new Date(),
    scores = { "engagement-alliance": 4, "ipaf-formulation": 4 },
  }: {
    phase: PhaseId | null;
    competent?: boolean;
    finalizedAt?: Date;
    scores?: Record<string, number>;
  },
): Promise<string> {
  const db = getDb();
  const values = Object.values(scores);
  const rating = await db.rating.create({
    data: {
      recordingId,
      kind: "DERIVED",
      status: "SUBMITTED",
      frameworkId: "dit-competence",
      frameworkVersion: 1,
      phase,
      mean: values.reduce((a, b) => a + b, 0) / values.length,
      competent,
      submittedAt: finalizedAt,
    },
    select: { id: true },
  });
  for (const [itemId, score] of Object.entries(scores)) {
    await db.itemScore.create({ data: { ratingId: rating.id, recordingId, itemId, score } });
  }
  await db.recordingAssessment.create({
    data: {
      recordingId,
      frameworkId: "dit-competence",
      frameworkVersion: 1,
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
