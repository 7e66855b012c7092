import type { Db, DbTx } from "#app/db.server";
import { purgeDecision } from "#app/domain/retention";
import type { RecordingStatus } from "#app/generated/prisma/enums";
import { appendAuditEvent, audited } from "#app/models/audit.server";
import { hasFinalRating } from "#app/models/rating.server";
import type { BlobStore } from "#app/storage/blob-store.server";

/**
 * The end of a recording's life (ADR 0021): withdrawal by its trainee, legal
 * hold by an administrator, and purge — crypto-shredding (the wrapped data key
 * is destroyed) and a tombstone (the row stays, without any way to read the
 * bytes). Every change is audited in its own transaction, with no clinical
 * content in the event: sizes, hashes, reasons.
 *
 * State changes are conditional updates (`updateMany` with the expected state
 * in `where`), so two requests or two purge runs on different instances can
 * never both succeed on one row.
 */

/**
 * Whether the recording has a final rating (app/models/rating.server.ts).
 * Withdrawal is allowed only before one exists, and once one does the
 * retention clock is `ratedDeadline` (set when the rating becomes final).
 */
export async function isRated(db: DbTx, recordingId: string): Promise<boolean> {
  return hasFinalRating(db, recordingId);
}

/** The statuses a recording can be withdrawn from (uploading, or complete and waiting to be rated). */
export const WITHDRAWABLE: readonly RecordingStatus[] = ["READY", "UPLOADING"];

/** Whether the recording could be withdrawn by its owner now (for pages deciding whether to offer it). */
export async function isWithdrawable(db: DbTx, recording: { id: string; status: RecordingStatus }): Promise<boolean> {
  return WITHDRAWABLE.includes(recording.status) && !(await isRated(db, recording.id));
}

export type RetentionProblem = "not-found" | "not-withdrawable" | "rated" | "purged" | "already-held" | "not-held";
export type RetentionResult = { ok: true } | { ok: false; problem: RetentionProblem };

/** The audit's description of the bytes: how many and which (never what they show). */
function bytesOf(row: { sha256: string | null; receivedBytes: bigint; declaredSize: bigint; status: RecordingStatus }) {
  return { size: Number(row.status === "UPLOADING" ? row.receivedBytes : row.declaredSize), sha256: row.sha256 };
}

const ROW = { id: true, ownerId: true, status: true, sha256: true, receivedBytes: true, declaredSize: true, legalHold: true } as const;

/**
 * The owner withdraws their recording (e.g. the client withdrew consent): it
 * can no longer be played or rated, and the next purge destroys it (unless an
 * administrator holds it). Only while it is uploading or ready, and not rated.
 */
export async function withdrawRecording(db: Db, input: { recordingId: string; ownerId: string; now?: Date }): Promise<RetentionResult> {
  const now = input.now ?? new Date();
  return audited(db, async (tx) => {
    const row = await tx.recording.findFirst({ where: { id: input.recordingId, ownerId: input.ownerId }, select: ROW });
    if (!row) return { ok: false, problem: "not-found" } as const;
    if (!WITHDRAWABLE.includes(row.status)) return { ok: false, problem: "not-withdrawable" } as const;
    if (await isRated(tx, row.id)) return { ok: false, problem: "rated" } as const;
    const { count } = await tx.recording.updateMany({
      where: { id: row.id, ownerId: input.ownerId, status: row.status },
      data: { status: "WITHDRAWN", withdrawnAt: now },
    });
    // Another request changed it between the read and the write (completed, withdrawn, purged).
    if (count !== 1) return { ok: false, problem: "not-withdrawable" } as const;
    await appendAuditEvent(tx, {
      type: "recording.withdrawn",
      actorId: input.ownerId,
      subjectId: row.id,
      data: { ...bytesOf(row), from: row.status },
    });
    return { ok: true } as const;
  });
}

/** An administrator stops purge from destroying a recording (a complaint, an investigation, a court order). */
export async function setLegalHold(db: Db, input: { recordingId: string; actorId: string; reason: string }): Promise<RetentionResult> {
  return audited(db, async (tx) => {
    const row = await tx.recording.findUnique({ where: { id: input.recordingId }, select: ROW });
    if (!row) return { ok: false, problem: "not-found" } as const;
    if (row.status === "PURGED") return { ok: false, problem: "purged" } as const;
    if (row.legalHold) return { ok: false, problem: "already-held" } as const;
    const { count } = await tx.recording.updateMany({
      where: { id: row.id, status: { not: "PURGED" }, legalHold: false },
      data: { legalHold: true, legalHoldReason: input.reason },
    });
    if (count !== 1) return { ok: false, problem: "purged" } as const;
    await appendAuditEvent(tx, {
      type: "recording.hold",
      actorId: input.actorId,
      subjectId: row.id,
      data: { ...bytesOf(row), status: row.status, reason: input.reason },
    });
    return { ok: true } as const;
  });
}

/** The hold ends: the recording's own retention applies again (a deadline already passed means the next purge). */
export async function releaseLegalHold(
  db: Db,
  input: { recordingId: string; actorId: string; reason: string | null },
): Promise<RetentionResult> {
  return audited(db, async (tx) => {
    const row = await tx.recording.findUnique({ where: { id: input.recordingId }, select: { ...ROW, legalHoldReason: true } });
    if (!row) return { ok: false, problem: "not-found" } as const;
    if (!row.legalHold) return { ok: false, problem: "not-held" } as const;
    const { count } = await tx.recording.updateMany({
      where: { id: row.id, legalHold: true },
      data: { legalHold: false, legalHoldReason: null },
    });
    if (count !== 1) return { ok: false, problem: "not-held" } as const;
    await appendAuditEvent(tx, {
      type: "recording.hold-released",
      actorId: input.actorId,
      subjectId: row.id,
      data: { ...bytesOf(row), status: row.status, reason: input.reason, heldFor: row.legalHoldReason },
    });
    return { ok: true } as const;
  });
}

/** Rows that may be due: not purged, and withdrawn, rejected or past their deadline (held ones included). */
function dueWhere(now: Date, legalHold: boolean) {
  return {
    status: { not: "PURGED" as const },
    legalHold,
    OR: [{ status: { in: ["WITHDRAWN" as const, "REJECTED" as const] } }, { deleteAfter: { lte: now } }],
  };
}

const DUE_FIELDS = { id: true, status: true, deleteAfter: true, legalHold: true, store: true } as const;

/** How many recordings purge may take in one run; the rest wait for the next. */
export const PURGE_BATCH = 500;

/**
 * Recordings purge may destroy at `now` (app/domain/retention.ts decides;
 * legal holds excluded), oldest deadline first, at most `take`.
 */
export async function listPurgeDue(db: DbTx, now: Date, take = PURGE_BATCH) {
  const rows = await db.recording.findMany({
    where: dueWhere(now, false),
    orderBy: [{ deleteAfter: "asc" }, { id: "asc" }],
    take,
    select: DUE_FIELDS,
  });
  return rows.filter((r) => purgeDecision(r, now).purge);
}

/** Recordings that would be due at `now` but are held. */
export function countHeldDue(db: DbTx, now: Date): Promise<number> {
  return db.recording.count({ where: dueWhere(now, true) });
}

/** Why a recording was destroyed, from the state it was in (for the audit). */
function purgeReason(status: RecordingStatus): string {
  switch (status) {
    case "WITHDRAWN":
      return "withdrawn";
    case "REJECTED":
      return "rejected";
    case "UPLOADING":
      return "upload-expired";
    default:
      return "retention-ended";
  }
}

/**
 * Crypto-shreds one recording, if it is due at `now`: destroys its wrapped
 * data key, marks it PURGED and audits that, in one transaction. The row
 * stays as the tombstone (owner, kind, dates, size, SHA-256). Playback grants
 * go with the key. The bytes are deleted afterwards by the caller
 * (`purgeRecording`, app/recordings/purge.server.ts): once the key is gone
 * they are unreadable, so a failure there loses nothing and is retried.
 * False when it was not due, is held, or another run got there first.
 */
export async function shredRecording(db: Db, id: string, now: Date): Promise<boolean> {
  return audited(db, async (tx) => {
    const row = await tx.recording.findUnique({ where: { id }, select: { ...ROW, deleteAfter: true, legalHold: true } });
    if (!row || !purgeDecision(row, now).purge) return false;
    const { count } = await tx.recording.updateMany({
      // The state it was read in: two runs at once, or a hold set meanwhile, leave it to one or none.
      where: { id, status: row.status, legalHold: false },
      data: { status: "PURGED", wrappedKey: null, keyId: null, purgedAt: now },
    });
    if (count !== 1) return false;
    await tx.playbackGrant.deleteMany({ where: { recordingId: id } });
    await appendAuditEvent(tx, {
      type: "recording.purged",
      actorId: null,
      subjectId: id,
      data: { ...bytesOf(row), reason: purgeReason(row.status) },
    });
    return true;
  });
}

export type PurgeOutcome = { purged: boolean; blobDeleted: boolean; error?: unknown };

/**
 * Purges one recording if it is due at `now`: first the key (shredRecording,
 * audited), then the bytes. A failure deleting the bytes is returned, not
 * thrown: the recording is already unreadable, and the next run deletes them.
 */
export async function purgeRecording(db: Db, store: BlobStore, id: string, now: Date): Promise<PurgeOutcome> {
  if (!(await shredRecording(db, id, now))) return { purged: false, blobDeleted: false };
  try {
    await store.delete(id);
    return { purged: true, blobDeleted: true };
  } catch (error) {
    return { purged: true, blobDeleted: false, error };
  }
}

/** Purged recordings (tombstones), in id order after `after`: purge checks that their bytes are gone. */
export async function purgedRecordingIds(db: DbTx, after: string | null, take: number): Promise<string[]> {
  const rows = await db.recording.findMany({
    where: { status: "PURGED", ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Which of `ids` still have a recording row that is not purged (an upload that is merely slow, a held one). */
export async function liveRecordingIds(db: DbTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.recording.findMany({ where: { id: { in: ids }, status: { not: "PURGED" } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}
