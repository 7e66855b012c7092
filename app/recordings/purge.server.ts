/**
 * The purge (ADR 0021): destroys recordings whose retention has ended, which
 * were withdrawn or rejected, or whose upload was abandoned — unless an
 * administrator holds them. For each one, first its wrapped data key is
 * destroyed and the row becomes a tombstone, audited in the same transaction
 * (crypto-shredding: from then on the bytes, and every backup of them, are
 * unreadable); then its bytes are deleted. Deleting bytes can fail (a disk, a
 * database): the next run finds tombstones whose bytes remain and deletes
 * them. Incomplete uploads the store knows of but no live row does are
 * deleted too.
 *
 * Safe to run on several instances at once and as often as wanted: a row is
 * shredded by one conditional update, so by one run only; deleting bytes that
 * are already gone is no error.
 *
 * Run by `npm run purge` (scripts/purge.ts) and, every PURGE_INTERVAL_MINUTES,
 * by a timer in the server (startPurgeTimer, started through the build entry).
 */

import type { Db } from "#app/db.server";
import { getDb } from "#app/db.server";
import type { RetentionPolicy } from "#app/domain/retention";
import { env } from "#app/env.server";
import { type Schedule, scheduleRuns } from "#app/jobs/schedule.server";
import { countHeldDue, listPurgeDue, liveRecordingIds, purgedRecordingIds, purgeRecording } from "#app/models/recording-retention.server";
import type { BlobStore } from "#app/storage/blob-store.server";
import { recordingStore, retentionPolicy } from "#app/storage/config.server";

export type PurgeCounts = {
  /** Recordings shredded (key destroyed, tombstone written, audited) by this run. */
  purged: number;
  /** Their bytes deleted by this run. */
  blobsDeleted: number;
  /** Bytes of recordings shredded earlier (a failed deletion then) deleted now. */
  leftoverBlobsDeleted: number;
  /** Incomplete uploads in the store with no live recording, deleted. */
  abandonedBlobsDeleted: number;
  /** Due, but on legal hold: left alone. */
  held: number;
  /** Deletions that failed; the bytes are unreadable and the next run tries again. */
  failed: number;
};

export type PurgeOptions = {
  db: Db;
  store: BlobStore;
  now: Date;
  /** Default: the configured policy (only the upload expiry matters here; deadlines are on the rows). */
  policy?: RetentionPolicy;
  /** Where failures are reported, one JSON line each (default: standard error). */
  log?: LogWriter;
};

/** Receives one JSON log line and its level. */
export type LogWriter = (line: string, level: Level) => void;
type Level = "info" | "warn" | "error";

/** Information to standard output, warnings and errors to standard error, as the server's own lines. */
const defaultLog: LogWriter = (line, level) => (level === "info" ? console.log(line) : console.error(line));

const PAGE = 200;
const HOUR = 60 * 60 * 1000;

function write(log: LogWriter, level: Level, msg: string, fields: object): void {
  log(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }), level);
}

/** One purge run at `now`. Throws only when the database cannot be read at all; byte deletions that fail are counted. */
export async function purgeDue(options: PurgeOptions): Promise<PurgeCounts> {
  const { db, store, now } = options;
  const policy = options.policy ?? retentionPolicy();
  const log = options.log ?? defaultLog;
  const counts: PurgeCounts = { purged: 0, blobsDeleted: 0, leftoverBlobsDeleted: 0, abandonedBlobsDeleted: 0, held: 0, failed: 0 };
  const failed = (what: string, recordingId: string | null, error: unknown) => {
    counts.failed++;
    write(log, "warn", "purge: could not delete recording bytes (retried next run)", { what, recordingId, error: String(error) });
  };

  // 1. Tombstones whose bytes are still there (a deletion failed in an earlier run). A store that fails here is
  //    likely down: one failure is counted and the sweep waits for the next run.
  try {
    for (let after: string | null = null; ; ) {
      const ids = await purgedRecordingIds(db, after, PAGE);
      for (const id of ids) {
        after = id;
        if ((await store.status(id)) === null) continue;
        await store.delete(id);
        counts.leftoverBlobsDeleted++;
      }
      if (ids.length < PAGE) break;
    }
  } catch (error) {
    failed("leftover", null, error);
  }

  // 2. What is due now: key first (audited), then bytes.
  for (const row of await listPurgeDue(db, now)) {
    const outcome = await purgeRecording(db, store, row.id, now);
    if (!outcome.purged) continue;
    counts.purged++;
    if (outcome.blobDeleted) counts.blobsDeleted++;
    else failed("purged", row.id, outcome.error);
  }
  counts.held = await countHeldDue(db, now);

  // 3. Incomplete uploads nobody wrote to within the upload expiry and no live row claims.
  try {
    const expired = await store.listExpiredIncomplete(new Date(now.getTime() - policy.uploadExpiryHours * HOUR));
    const live = await liveRecordingIds(db, expired);
    for (const id of expired.filter((e) => !live.has(e))) {
      await store.delete(id);
      counts.abandonedBlobsDeleted++;
    }
  } catch (error) {
    failed("abandoned", null, error);
  }
  return counts;
}

/** Whether a run did anything worth a log line. */
export function purgeDidSomething(c: PurgeCounts): boolean {
  return c.purged + c.leftoverBlobsDeleted + c.abandonedBlobsDeleted + c.failed > 0;
}

export type PurgeSchedule = Schedule;

/**
 * Runs `run` every `intervalMs` (app/jobs/schedule.server.ts: never two at
 * once, unref'd); a run that did something is logged as one JSON line, a
 * failing run too, and the timer goes on. `stop` clears the timer and waits
 * for a run in progress.
 */
export function schedulePurge(options: { intervalMs: number; run: () => Promise<PurgeCounts>; log?: LogWriter }): PurgeSchedule {
  const log = options.log ?? defaultLog;
  return scheduleRuns({
    intervalMs: options.intervalMs,
    run: options.run,
    done: (counts) => {
      if (purgeDidSomething(counts)) write(log, counts.failed ? "warn" : "info", "purge", counts);
    },
    failed: (error) => write(log, "error", "purge failed", { error: String(error) }),
  });
}

let serverSchedule: PurgeSchedule | null = null;

/**
 * The server's purge timer: every PURGE_INTERVAL_MINUTES (0 = off), the first
 * run one interval after start. Called by server/index.ts through the build
 * entry; a second call does nothing. False when it is off or already running.
 */
export function startPurgeTimer(): boolean {
  const minutes = env().PURGE_INTERVAL_MINUTES;
  if (minutes <= 0 || serverSchedule) return false;
  serverSchedule = schedulePurge({
    intervalMs: minutes * 60 * 1000,
    run: () => purgeDue({ db: getDb(), store: recordingStore(), now: new Date() }),
  });
  return true;
}

/** Stops the server's purge timer, waiting for a run in progress (before the database closes). */
export async function stopPurgeTimer(): Promise<void> {
  const schedule = serverSchedule;
  serverSchedule = null;
  await schedule?.stop();
}
