import { randomBytes } from "node:crypto";
import type { Db, DbTx } from "#app/db.server";
import type { PlayerSource } from "#app/domain/recording-labels";
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

/** Whether `grantId` is an unexpired grant of this person for this recording. */
export async function grantIsValid(
  db: DbTx,
  input: { grantId: string; userId: string; recordingId: string; now?: Date },
): Promise<boolean> {
  if (!GRANT_ID_PATTERN.test(input.grantId)) return false;
  const grant = await db.playbackGrant.findUnique({ where: { id: input.grantId } });
  return (
    grant !== null &&
    grant.userId === input.userId &&
    grant.recordingId === input.recordingId &&
    grant.expiresAt.getTime() > (input.now ?? new Date()).getTime()
  );
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
