import type { DbTx } from "#app/db.server";
import type { ScoreRow, ScoreRowKind } from "#app/domain/reliability-report";

/**
 * The rows the reliability figures are computed from (app/domain/reliability-report.ts): every scored item of
 * every submitted rating of one framework version that is either a rater's own summative rating (PROVISIONAL, from
 * a current assignment) or a recording's final rating. One statement, the same SQL on SQLite and PostgreSQL
 * (tagged `$queryRaw`, parameters bound); ordered by recording so the report can stream through it.
 */
type RawRow = {
  recordingId: string;
  ratingId: string;
  kind: string;
  role: string | null;
  raterId: string | null;
  itemId: string;
  score: number | bigint;
  submittedAt: Date | string | number;
};

export async function reliabilityRows(db: DbTx, framework: { id: string; version: number }): Promise<ScoreRow[]> {
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT s."recordingId", s."ratingId", r."kind", a."role", r."raterId", s."itemId", s."score", r."submittedAt"
    FROM "ItemScore" s
    JOIN "Rating" r ON r."id" = s."ratingId"
    LEFT JOIN "RatingAssignment" a ON a."id" = r."assignmentId"
    LEFT JOIN "RecordingAssessment" ra ON ra."recordingId" = s."recordingId"
    WHERE r."frameworkId" = ${framework.id}
      AND r."frameworkVersion" = ${framework.version}
      AND r."status" = 'SUBMITTED'
      AND r."submittedAt" IS NOT NULL
      AND s."score" IS NOT NULL
      AND (
        (r."kind" = 'PROVISIONAL' AND a."purpose" = 'SUMMATIVE' AND a."withdrawnAt" IS NULL)
        OR (r."id" = ra."finalRatingId" AND ra."state" = 'FINAL')
      )
    ORDER BY s."recordingId", s."ratingId"`;
  return rows.map((r) => ({
    recordingId: r.recordingId,
    ratingId: r.ratingId,
    kind: (r.kind === "PROVISIONAL" ? "PROVISIONAL" : r.kind === "MODERATED" ? "MODERATED" : "DERIVED") as ScoreRowKind,
    role: r.role === "PRIMARY" || r.role === "SECOND" ? r.role : null,
    raterId: r.raterId,
    itemId: r.itemId,
    score: Number(r.score),
    submittedAt: new Date(r.submittedAt),
  }));
}

/** Names of the given people (raters on the reliability page). */
export async function peopleNames(db: DbTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const people = await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return new Map(people.map((p) => [p.id, p.name]));
}
