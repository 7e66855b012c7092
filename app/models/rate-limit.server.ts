import type { DbTx } from "#app/db.server";
import { decideRate, type RateDecision, type RateLimit, windowStartOf } from "#app/domain/rate-limit";

/**
 * Counts one request against `key` in the current window and decides whether
 * it may go ahead. One statement: an atomic upsert that returns the new count,
 * so concurrent requests on any number of instances each get a distinct count
 * and N parallel requests can never pass a limit of M < N. (SQLite has one
 * writer at a time; PostgreSQL's ON CONFLICT DO UPDATE locks the row.)
 *
 * Refused requests are counted too: a client that keeps hammering stays
 * refused until the window ends, and the count tells how hard it tried.
 */
export async function hitRateLimit(db: DbTx, key: string, limit: RateLimit, now = new Date()): Promise<RateDecision> {
  const windowStart = windowStartOf(now, limit);
  const rows = await db.$queryRaw<{ count: number | bigint }[]>`
    INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 1);
  if (count === 1) await pruneOnce(db, windowStart - limit.windowSeconds * 1000);
  return decideRate(count, limit, now);
}

/** The last window this process pruned before; pruning runs at most once per window per instance. */
let prunedBefore = 0;

/** Drops the buckets of windows that ended before `before` (nothing reads them again). */
async function pruneOnce(db: DbTx, before: number): Promise<void> {
  if (before === prunedBefore) return;
  prunedBefore = before;
  await db.rateLimitBucket.deleteMany({ where: { windowStart: { lt: before } } });
}

/** The count so far in the current window (tests and diagnostics). */
export async function rateLimitCount(db: DbTx, key: string, limit: RateLimit, now = new Date()): Promise<number> {
  const row = await db.rateLimitBucket.findUnique({
    where: { key_windowStart: { key, windowStart: windowStartOf(now, limit) } },
    select: { count: true },
  });
  return row?.count ?? 0;
}
