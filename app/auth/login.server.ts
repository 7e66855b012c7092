import { verifyAgainstDummy, verifyPassword } from "#app/crypto/password.server";
import type { Db } from "#app/db.server";
import { describeWait, type ThrottleLimits } from "#app/domain/login-throttle";
import { env } from "#app/env.server";
import { appendAuditEvent, audited, recordAuditEvent } from "#app/models/audit.server";
import { markLoginSucceeded, pruneLoginAttempts, reserveLoginAttempt } from "#app/models/login-attempt.server";
import { findUserForLogin } from "#app/models/user.server";

export type LoginResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" | "throttled"; message: string; retryAfterSeconds?: number };

const INVALID = "That email and password do not match an active account.";

export function throttleLimits(): ThrottleLimits {
  const e = env();
  return {
    windowMinutes: e.LOGIN_WINDOW_MINUTES,
    maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
  };
}

/**
 * Checks a sign-in. First a slot is reserved atomically with the rate-limit
 * check (per account + IP, and per IP; counted in the database, so across
 * instances), then the password is verified and the slot marked. Audit rows
 * are bounded: one per attempt that reached the password check, plus one
 * `auth.login_throttled` when a limit is reached — refused attempts while
 * paused write nothing.
 */
export async function attemptLogin(
  db: Db,
  { email, password, ip }: { email: string; password: string; ip: string },
  now = new Date(),
): Promise<LoginResult> {
  const limits = throttleLimits();
  const reservation = await reserveLoginAttempt(db, { accountKey: email, ip }, limits, now);
  if (!reservation.ok) {
    const wait = reservation.decision.retryAfterSeconds;
    return {
      ok: false,
      reason: "throttled",
      retryAfterSeconds: wait,
      message: `Too many failed sign-in attempts. For your security, sign-in is paused; try again in ${describeWait(wait)}.`,
    };
  }

  const user = await findUserForLogin(db, email);
  const valid =
    user?.passwordHash && user.status === "ACTIVE" ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);

  if (!valid || !user) {
    const { failures } = reservation;
    const reached =
      failures.account + 1 >= limits.maxFailuresPerAccount ? "account" : failures.ip + 1 >= limits.maxFailuresPerIp ? "ip" : null;
    await audited(db, async (tx) => {
      await appendAuditEvent(tx, {
        type: "auth.login_failed",
        subjectId: user?.id ?? null,
        data: { email, reason: !user ? "unknown-account" : user.status !== "ACTIVE" ? "inactive" : "wrong-password" },
      });
      if (reached)
        await appendAuditEvent(tx, { type: "auth.login_throttled", subjectId: user?.id ?? null, data: { email, scope: reached } });
    });
    return { ok: false, reason: "invalid", message: INVALID };
  }
  await markLoginSucceeded(db, { attemptId: reservation.attemptId, accountKey: email, ip });
  await pruneLoginAttempts(db, now);
  await recordAuditEvent(db, { type: "auth.login", actorId: user.id, subjectId: user.id });
  return { ok: true, userId: user.id };
}
