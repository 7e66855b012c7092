import { verifyAgainstDummy, verifyPassword } from "#app/crypto/password.server";
import type { Db } from "#app/db.server";
import { decideLogin, describeWait, type ThrottleLimits } from "#app/domain/login-throttle";
import { env } from "#app/env.server";
import { recordAuditEvent } from "#app/models/audit.server";
import { clearAccountFailures, pruneLoginAttempts, recentFailures, recordLoginAttempt } from "#app/models/login-attempt.server";
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
 * Checks a sign-in: rate limits first (per account and per IP, counted in the
 * database), then the password. Every outcome is audited.
 */
export async function attemptLogin(
  db: Db,
  { email, password, ip }: { email: string; password: string; ip: string },
  now = new Date(),
): Promise<LoginResult> {
  const limits = throttleLimits();
  const decision = decideLogin(await recentFailures(db, { accountKey: email, ip }, limits, now), limits, now);
  if (!decision.allowed) {
    await recordAuditEvent(db, { type: "auth.login_throttled", data: { email, scope: decision.scope } });
    return {
      ok: false,
      reason: "throttled",
      retryAfterSeconds: decision.retryAfterSeconds,
      message: `Too many failed sign-in attempts. For your security, sign-in is paused; try again in ${describeWait(decision.retryAfterSeconds)}.`,
    };
  }

  const user = await findUserForLogin(db, email);
  const valid =
    user?.passwordHash && user.status === "ACTIVE" ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);

  await recordLoginAttempt(db, { accountKey: email, ip, succeeded: valid });
  if (!valid || !user) {
    await recordAuditEvent(db, {
      type: "auth.login_failed",
      subjectId: user?.id ?? null,
      data: { email, reason: !user ? "unknown-account" : user.status !== "ACTIVE" ? "inactive" : "wrong-password" },
    });
    return { ok: false, reason: "invalid", message: INVALID };
  }
  await clearAccountFailures(db, email);
  await pruneLoginAttempts(db, now);
  await recordAuditEvent(db, { type: "auth.login", actorId: user.id, subjectId: user.id });
  return { ok: true, userId: user.id };
}
