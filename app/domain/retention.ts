/**
 * How long a session recording is kept. Recordings are special-category health
 * data: they are kept only as long as assessment needs them, then destroyed.
 * Each service's information-governance policy decides the numbers, so they
 * are settings (RECORDING_KEEP_DAYS_AFTER_FINAL, RECORDING_MAX_UNRATED_DAYS,
 * UPLOAD_EXPIRY_HOURS); this module only computes with them. Pure.
 */

export type RetentionPolicy = {
  /** Days a recording is kept once its rating is final (default 30). */
  keepDaysAfterFinal: number;
  /** Days an unrated recording is kept at most (default 180). */
  maxUnratedDays: number;
  /** Hours an unfinished upload may sit before it is removed (default 24). */
  uploadExpiryHours: number;
};

export const DEFAULT_RETENTION: RetentionPolicy = { keepDaysAfterFinal: 30, maxUnratedDays: 180, uploadExpiryHours: 24 };

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** The deadline of a fresh upload: finished or not, nothing waits longer than this unless completed. */
export function uploadDeadline(policy: RetentionPolicy, startedAt: Date): Date {
  return new Date(startedAt.getTime() + policy.uploadExpiryHours * HOUR);
}

/** A completed, not yet rated recording. */
export function unratedDeadline(policy: RetentionPolicy, completedAt: Date): Date {
  return new Date(completedAt.getTime() + policy.maxUnratedDays * DAY);
}

/** A recording whose rating became final at `finalAt`. */
export function ratedDeadline(policy: RetentionPolicy, finalAt: Date): Date {
  return new Date(finalAt.getTime() + policy.keepDaysAfterFinal * DAY);
}

export type PurgeCandidate = {
  status: "UPLOADING" | "READY" | "REJECTED" | "WITHDRAWN" | "PURGED";
  deleteAfter: Date;
  legalHold: boolean;
};

export type PurgeDecision = { purge: true } | { purge: false; reason: "held" | "not-due" | "already-purged" };

/**
 * Whether purge may destroy a recording now. A legal hold always wins; a
 * withdrawn or rejected recording is due at once; others when their deadline passed.
 */
export function purgeDecision(r: PurgeCandidate, now: Date): PurgeDecision {
  if (r.status === "PURGED") return { purge: false, reason: "already-purged" };
  if (r.legalHold) return { purge: false, reason: "held" };
  if (r.status === "WITHDRAWN" || r.status === "REJECTED") return { purge: true };
  return r.deleteAfter.getTime() <= now.getTime() ? { purge: true } : { purge: false, reason: "not-due" };
}
