import { type DbTx, getDb } from "#app/db.server";
import type { PhaseId } from "#app/domain/phases";
import { finalRatingHash } from "#app/domain/rating-hash";

/**
 * Final ratings as evidence for other areas (pathways, certificates): one row
 * per recording of the trainee whose assessment is FINAL. Read-only; the
 * rating workflow itself is app/models/rating.server.ts. See docs/rating.md.
 */
export type FinalRatingEvidence = {
  ratingId: string;
  recordingId: string;
  recordingKind: "CASE_SESSION" | "ROLE_PLAY";
  caseId: string | null;
  sessionNumber: number | null;
  phase: "initial" | "middle" | "ending" | null;
  frameworkId: string;
  frameworkVersion: number;
  competent: boolean;
  mean: number;
  finalizedAt: Date;
  releasedAt: Date | null;
  /** SHA-256 hex of the final rating's canonical JSON (app/domain/rating-hash.ts). */
  hash: string;
};

const PHASES: readonly string[] = ["initial", "middle", "ending"] satisfies PhaseId[];

export async function finalRatingsForTrainee(traineeId: string, db: DbTx = getDb()): Promise<FinalRatingEvidence[]> {
  const rows = await db.recordingAssessment.findMany({
    where: { state: "FINAL", recording: { ownerId: traineeId }, finalRatingId: { not: null } },
    orderBy: { finalizedAt: "asc" },
    select: {
      recordingId: true,
      frameworkId: true,
      frameworkVersion: true,
      phase: true,
      decidedBy: true,
      finalizedAt: true,
      releasedAt: true,
      recording: { select: { kind: true, caseSession: { select: { number: true, caseId: true } } } },
      finalRating: { select: { id: true, mean: true, competent: true, scores: { select: { itemId: true, score: true } } } },
    },
  });
  const out: FinalRatingEvidence[] = [];
  for (const row of rows) {
    const final = row.finalRating;
    if (!final || !row.finalizedAt || !row.decidedBy || final.competent === null || final.mean === null) continue;
    const scores = Object.fromEntries(final.scores.map((s) => [s.itemId, s.score]));
    out.push({
      ratingId: final.id,
      recordingId: row.recordingId,
      recordingKind: row.recording.kind,
      caseId: row.recording.caseSession?.caseId ?? null,
      sessionNumber: row.recording.caseSession?.number ?? null,
      phase: row.phase && PHASES.includes(row.phase) ? (row.phase as PhaseId) : null,
      frameworkId: row.frameworkId,
      frameworkVersion: row.frameworkVersion,
      competent: final.competent,
      mean: final.mean,
      finalizedAt: row.finalizedAt,
      releasedAt: row.releasedAt,
      hash: finalRatingHash({
        frameworkId: row.frameworkId,
        frameworkVersion: row.frameworkVersion,
        scores,
        competent: final.competent,
        decidedBy: row.decidedBy,
        finalizedAt: row.finalizedAt,
      }),
    });
  }
  return out;
}
