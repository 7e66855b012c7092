import type { DbTx } from "#app/db.server";
import { type RecentFailures, type ThrottleLimits, windowStart } from "#app/domain/login-throttle";

/** Failed attempts inside the window, per account and per IP (two indexed counts). */
export async function recentFailures(
  db: DbTx,
  { accountKey, ip }: { accountKey: string; ip: string },
  limits: ThrottleLimits,
  now: Date,
): Promise<RecentFailures> {
  const since = windowStart(now, limits);
  const [account, byIp] = await Promise.all([
    db.loginAttempt.findMany({
      where: { accountKey, succeeded: false, createdAt: { gt: since } },
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
  ]);
  // The wait ends when the oldest of the failures that make up the limit leaves the window.
  return {
    account: account.length,
    ip: byIp.length,
    oldestAccountFailure: account.at(-1)?.createdAt,
    oldestIpFailure: byIp.at(-1)?.createdAt,
  };
}

export async function recordLoginAttempt(
  db: DbTx,
  { accountKey, ip, succeeded }: { accountKey: string; ip: string; succeeded: boolean },
): Promise<void> {
  await db.loginAttempt.create({ data: { accountKey, ip, succeeded } });
}

/** A successful sign-in clears the account's failures. */
export async function clearAccountFailures(db: DbTx, accountKey: string): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { accountKey, succeeded: false } });
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
