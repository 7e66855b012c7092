import { type DbTx, getDb, sqliteRead } from "#app/db.server";
import type { ScoreRow, ScoreRowKind } from "#app/domain/reliability-report";

/**
 * The rows the reliability figures are computed from (app/domain/reliability-report.ts): every scored item of
 * every submitted rating of one framework version that is either a rater's own summative rating (PROVISIONAL, from
 * a current assignment) or a recording's final rating.
 *
 * One statement, the same SQL on SQLite and PostgreSQL: one row per rating with its item scores folded into one
 * text column (`string_agg`, which both have), because 12 item rows per rating cost twelve times Prisma's per-row
 * work for the same numbers (docs/benchmarks.md, "Reliability page"). On SQLite with the process-wide client the
 * statement runs on the read-only connection (`sqliteRead`, ADR 0024). The scores are unfolded here, so callers
 * get one ScoreRow per item.
 */
type RawRating = {
  recordingId: string;
  ratingId: string;
  kind: string;
  role: string | null;
  raterId: string | null;
  submittedAt: Date | string | number;
  /** "itemId=score;itemId=score;…" */
  scores: string | null;
};

const SQL = `SELECT r."recordingId", r."id" AS "ratingId", r."kind", a."role", r."raterId", r."submittedAt",
    string_agg(s."itemId" || '=' || s."score", ';') AS "scores"
  FROM "Rating" r
  JOIN "ItemScore" s ON s."ratingId" = r."id"
  LEFT JOIN "RatingAssignment" a ON a."id" = r."assignmentId"
  LEFT JOIN "RecordingAssessment" ra ON ra."recordingId" = r."recordingId"
  WHERE r."frameworkId" = ? AND r."frameworkVersion" = ? AND r."status" = 'SUBMITTED' AND r."submittedAt" IS NOT NULL
    AND s."score" IS NOT NULL
    AND ((r."kind" = 'PROVISIONAL' AND a."purpose" = 'SUMMATIVE' AND a."withdrawnAt" IS NULL)
      OR (r."id" = ra."finalRatingId" AND ra."state" = 'FINAL'))
  GROUP BY r."recordingId", r."id", r."kind", a."role", r."raterId", r."submittedAt"
  ORDER BY r."recordingId", r."id"`;

async function readRatings(db: DbTx, framework: { id: string; version: number }): Promise<RawRating[]> {
  const direct = db === getDb() ? sqliteRead<RawRating>(SQL, [framework.id, framework.version]) : undefined;
  if (direct) return direct;
  return db.$queryRaw<RawRating[]>`
    SELECT r."recordingId", r."id" AS "ratingId", r."kind", a."role", r."raterId", r."submittedAt",
      string_agg(s."itemId" || '=' || s."score", ';') AS "scores"
    FROM "Rating" r
    JOIN "ItemScore" s ON s."ratingId" = r."id"
    LEFT JOIN "RatingAssignment" a ON a."id" = r."assignmentId"
    LEFT JOIN "RecordingAssessment" ra ON ra."recordingId" = r."recordingId"
    WHERE r."frameworkId" = ${framework.id} AND r."frameworkVersion" = ${framework.version}
      AND r."status" = 'SUBMITTED' AND r."submittedAt" IS NOT NULL
      AND s."score" IS NOT NULL
      AND ((r."kind" = 'PROVISIONAL' AND a."purpose" = 'SUMMATIVE' AND a."withdrawnAt" IS NULL)
        OR (r."id" = ra."finalRatingId" AND ra."state" = 'FINAL'))
    GROUP BY r."recordingId", r."id", r."kind", a."role", r."raterId", r."submittedAt"
    ORDER BY r."recordingId", r."id"`;
}

export async function reliabilityRows(db: DbTx, framework: { id: string; version: number }): Promise<ScoreRow[]> {
  const ratings = await readRatings(db, framework);
  const rows: ScoreRow[] = [];
  for (const r of ratings) {
    const kind: ScoreRowKind = r.kind === "PROVISIONAL" ? "PROVISIONAL" : r.kind === "MODERATED" ? "MODERATED" : "DERIVED";
    const role = r.role === "PRIMARY" || r.role === "SECOND" ? r.role : null;
    const submittedAt = new Date(r.submittedAt);
    for (const pair of (r.scores ?? "").split(";")) {
      const at = pair.lastIndexOf("=");
      if (at <= 0) continue;
      rows.push({
        recordingId: r.recordingId,
        ratingId: r.ratingId,
        kind,
        role,
        raterId: r.raterId,
        itemId: pair.slice(0, at),
        score: Number(pair.slice(at + 1)),
        submittedAt,
      });
    }
  }
  return rows;
}

/** Names of the given people (raters on the reliability page). */
export async function peopleNames(db: DbTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const people = await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return new Map(people.map((p) => [p.id, p.name]));
}
