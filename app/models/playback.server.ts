import { randomBytes } from "node:crypto";
import { type Db, type DbTx, getDb, sqliteRead } from "#app/db.server";
import type { PlayerSource } from "#app/domain/recording-labels";
import { Prisma } from "#app/generated/prisma/client";
import { appendAuditEvent, audited } from "#app/models/audit.server";

/**
 * Playback grants (docs/decisions/0020-playback-grants.md): opening a
 * recording's page issues one grant, which names the person and the recording
 * and expires; the media URL carries it (`?g=`). The grant is the playback
 * session: it is audited once, when issued, and every range request of the
 * player is checked against it (and against the person's permission, again).
 */

/** How long a player may keep fetching ranges after the page was opened. */
export const GRANT_HOURS = 4;

/** 32 random bytes, base64url: 43 characters. */
export const GRANT_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newGrantId(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Issues a grant for `userId` to play `recordingId` and writes the one
 * `recording.played` audit event of this playback session, in one transaction.
 * The person's expired grants are cleared on the way.
 */
export async function startPlayback(
  db: Db,
  input: { userId: string; recordingId: string; now?: Date },
): Promise<{ grantId: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + GRANT_HOURS * 3600_000);
  const grantId = newGrantId();
  await audited(db, async (tx) => {
    await tx.playbackGrant.deleteMany({ where: { userId: input.userId, expiresAt: { lte: now } } });
    await tx.playbackGrant.create({ data: { id: grantId, userId: input.userId, recordingId: input.recordingId, expiresAt } });
    await appendAuditEvent(tx, {
      type: "recording.played",
      actorId: input.userId,
      subjectId: input.recordingId,
      data: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { grantId, expiresAt };
}

/** The recording's own columns the media route reads. */
type PlaybackRecording = {
  id: string;
  status: string;
  ownerId: string;
  wrappedKey: string | null;
  keyId: string | null;
  mimeType: string | null;
};

/** What the media route needs to know about a recording, the person and their grant, from one statement. */
export type PlaybackFacts = PlaybackRecording & {
  /** Plaintext bytes received: the recording's size once READY. */
  size: number;
  /** The person's standing towards it, for relationsToRecording (app/models/recording.server.ts). */
  caseSession: { case: { supervisorId: string } } | null;
  ratingAssignments: { raterId: string; purpose: "SUMMATIVE" | "CALIBRATION" }[];
  /** The grant `?g=` names is this person's, for this recording, and unexpired. */
  grantValid: boolean;
};

type RawFacts = PlaybackRecording & {
  receivedBytes: number | bigint;
  supervisorId: string | null;
  summative: number | boolean | bigint;
  calibration: number | boolean | bigint;
  grantExpiresAt: Date | string | number | null;
};

/** The statement, one text for both databases (Prisma.sql: `?` placeholders in `.sql`, `$n` on PostgreSQL). */
const factsSql = (recordingId: string, userId: string, grantId: string) => Prisma.sql`
  SELECT r."id", CAST(r."status" AS TEXT) AS "status", r."ownerId", r."wrappedKey", r."keyId", r."mimeType",
    r."receivedBytes", c."supervisorId",
    EXISTS (SELECT 1 FROM "RatingAssignment" a WHERE a."recordingId" = r."id" AND a."raterId" = ${userId}
      AND a."withdrawnAt" IS NULL AND CAST(a."purpose" AS TEXT) = 'SUMMATIVE') AS "summative",
    EXISTS (SELECT 1 FROM "RatingAssignment" a WHERE a."recordingId" = r."id" AND a."raterId" = ${userId}
      AND a."withdrawnAt" IS NULL AND CAST(a."purpose" AS TEXT) = 'CALIBRATION') AS "calibration",
    (SELECT g."expiresAt" FROM "PlaybackGrant" g
      WHERE g."id" = ${grantId} AND g."userId" = ${userId} AND g."recordingId" = r."id") AS "grantExpiresAt"
  FROM "Recording" r
  LEFT JOIN "CaseSession" s ON s."id" = r."caseSessionId"
  LEFT JOIN "TrainingCase" c ON c."id" = s."caseId"
  WHERE r."id" = ${recordingId}`;

/**
 * Every range request of a player asks this (docs/recordings.md, "Playback"): the recording's state and key, the
 * person's relations to it and whether their grant holds — one statement instead of the recording page's nested
 * query and a grant lookup (docs/benchmarks.md, "Playback"). On SQLite with the process-wide client it runs on the
 * read-only connection (sqliteRead, ADR 0024). Null when there is no such recording.
 */
export async function playbackFacts(
  db: DbTx,
  input: { recordingId: string; userId: string; grantId: string; now?: Date },
): Promise<PlaybackFacts | null> {
  const grantId = GRANT_ID_PATTERN.test(input.grantId) ? input.grantId : "";
  const query = factsSql(input.recordingId, input.userId, grantId);
  const rows = (db === getDb() ? sqliteRead<RawFacts>(query.sql, query.values) : undefined) ?? (await db.$queryRaw<RawFacts[]>(query));
  const r = rows[0];
  if (!r) return null;
  const yes = (v: number | boolean | bigint) => v === true || Number(v) === 1;
  const expires = r.grantExpiresAt === null ? null : new Date(r.grantExpiresAt);
  return {
    id: r.id,
    status: r.status,
    ownerId: r.ownerId,
    wrappedKey: r.wrappedKey,
    keyId: r.keyId,
    mimeType: r.mimeType,
    size: Number(r.receivedBytes),
    caseSession: r.supervisorId ? { case: { supervisorId: r.supervisorId } } : null,
    ratingAssignments: [
      ...(yes(r.summative) ? [{ raterId: input.userId, purpose: "SUMMATIVE" as const }] : []),
      ...(yes(r.calibration) ? [{ raterId: input.userId, purpose: "CALIBRATION" as const }] : []),
    ],
    grantValid: grantId !== "" && expires !== null && expires.getTime() > (input.now ?? new Date()).getTime(),
  };
}

/** The phase plan of a case (to name a session's phase on the recording page). */
export async function casePlanId(db: DbTx, caseId: string): Promise<string | null> {
  const row = await db.trainingCase.findUnique({ where: { id: caseId }, select: { planId: true } });
  return row?.planId ?? null;
}

/**
 * Starts a playback session for `userId` (a grant and its one audit event)
 * when the recording is READY and playable, and returns its player's source;
 * null otherwise. Every page with a player calls this (the recording page, the
 * rater's screen, the moderation page), after its own access check.
 */
export async function playerFor(
  db: Db,
  userId: string,
  r: { id: string; status: string; wrappedKey: string | null; mimeType: string | null; hasVideo: boolean | null },
): Promise<PlayerSource | null> {
  if (r.status !== "READY" || r.wrappedKey === null || r.mimeType === null) return null;
  const grant = await startPlayback(db, { userId, recordingId: r.id });
  return {
    src: `/recordings/${encodeURIComponent(r.id)}/media?g=${grant.grantId}`,
    hasVideo: r.hasVideo,
    mimeType: r.mimeType,
    expiresAt: grant.expiresAt.toISOString(),
  };
}
