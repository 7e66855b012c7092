import type { Db, DbTx } from "#app/db.server";
import { decideLogin, type RecentFailures, type ThrottleDecision, type ThrottleLimits, windowStart } from "#app/domain/login-throttle";
import { env } from "#app/env.server";

/** How long a successful sign-in makes an account "known" at an address (successful rows are pruned after a day). */
const KNOWN_FOR_MS = 86_400_000;

/**
 * Failed attempts inside the window: for this account from this IP (the
 * per-account limit is keyed on both, so failures from one address never
 * lock the owner out from another) and from this IP over all accounts.
 * Attempts still being checked count as failures.
 */
export async function recentFailures(
  db: DbTx,
  { accountKey, ip }: { accountKey: string; ip: string },
  limits: ThrottleLimits,
  now: Date,
): Promise<RecentFailures> {
  const since = windowStart(now, limits);
  const [account, byIp, known] = await Promise.all([
    db.loginAttempt.findMany({
      where: { accountKey, ip, succeeded: false, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
      take: limits.maxFailuresPerAccount,
      select: { createdAt: true },
    }),
    db.loginAttempt.findMany({
      where: { ip, succeeded: false, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
      take: limits.maxFailuresPerIp,
      select: { createdAt: true },
    }),
    db.loginAttempt.findFirst({
      where: { accountKey, ip, succeeded: true, createdAt: { gt: new Date(now.getTime() - KNOWN_FOR_MS) } },
      select: { id: true },
    }),
  ]);
  // The wait ends when the oldest of the failures that make up the limit leaves the window.
  return {
    account: account.length,
    ip: byIp.length,
    oldestAccountFailure: account.at(-1)?.createdAt,
    oldestIpFailure: byIp.at(-1)?.createdAt,
    knownFromIp: known !== null,
  };
}

export type Reservation =
  | { ok: true; attemptId: number; failures: RecentFailures }
  | { ok: false; decision: Extract<ThrottleDecision, { allowed: false }> };

/**
 * Check-and-record in one step: within one transaction, count the recent
 * failures and — if the limits allow another try — record this attempt as a
 * failure before the password is checked (markLoginSucceeded turns it into a
 * success). Concurrent attempts are serialised: on SQLite by the single
 * writer, on PostgreSQL by a transaction-scoped advisory lock on the IP (the
 * account limit is keyed on account + IP, so one lock covers both counts).
 * So N parallel sign-ins can never pass a limit of M < N.
 */
export async function reserveLoginAttempt(
  db: Db,
  { accountKey, ip }: { accountKey: string; ip: string },
  limits: ThrottleLimits,
  now: Date,
): Promise<Reservation> {
  return db.$transaction(async (tx) => {
    if (env().DATABASE_URL.startsWith("postgres")) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`login:${ip}`}, 0))`;
    }
    const failures = await recentFailures(tx, { accountKey, ip }, limits, now);
    const decision = decideLogin(failures, limits, now);
    if (!decision.allowed) return { ok: false as const, decision };
    const row = await tx.loginAttempt.create({ data: { accountKey, ip, succeeded: false, createdAt: now }, select: { id: true } });
    return { ok: true as const, attemptId: row.id, failures };
  });
}

/** The reserved attempt succeeded: it stops counting, and so do this account's earlier failures from this IP. */
export async function markLoginSucceeded(db: Db, { attemptId, accountKey, ip }: { attemptId: number; accountKey: string; ip: string }) {
  await db.$transaction([
    db.loginAttempt.updateMany({ where: { id: attemptId }, data: { succeeded: true } }),
    db.loginAttempt.deleteMany({ where: { accountKey, ip, succeeded: false } }),
  ]);
}

/** Attempts are personal data: keep them a day at most. */
export async function pruneLoginAttempts(db: DbTx, now: Date): Promise<number> {
  const { count } = await db.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  return count;
}

/** Reset requests are kept beside sign-in attempts, under an account key of their own ("reset:<email>"), never as failures. */
const resetKey = (email: string) => `reset:${email}`;

export async function recentResetRequests(db: DbTx, { email, ip }: { email: string; ip: string }, since: Date) {
  const [account, byIp] = await Promise.all([
    db.loginAttempt.count({ where: { accountKey: resetKey(email), createdAt: { gt: since } } }),
    db.loginAttempt.count({ where: { ip, accountKey: { startsWith: "reset:" }, createdAt: { gt: since } } }),
  ]);
  return { account, ip: byIp };
}

export async function recordResetRequest(db: DbTx, { email, ip }: { email: string; ip: string }): Promise<void> {
  await db.loginAttempt.create({ data: { accountKey: resetKey(email), ip, succeeded: true } });
}
