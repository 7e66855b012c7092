/**
 * Sign-in rate limiting: a decision over counts of recent failed attempts,
 * kept in the database so that it holds across app instances
 * (app/models/login-attempt.server.ts gathers the counts).
 */
export type ThrottleLimits = {
  windowMinutes: number;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
};

export type RecentFailures = {
  /** Failures for this account from this IP (the per-account limit is keyed on account + IP). */
  account: number;
  ip: number;
  /** The oldest failure inside the window that counts toward the limit hit, if any. */
  oldestAccountFailure?: Date;
  oldestIpFailure?: Date;
  /**
   * This account signed in successfully from this IP within the last day. The
   * per-IP limit (against spraying many accounts) then does not apply to it,
   * so someone failing on the same shared address (an office NAT) cannot lock
   * out colleagues who already use it; the per-account limit still does.
   */
  knownFromIp?: boolean;
};

export type ThrottleDecision = { allowed: true } | { allowed: false; scope: "account" | "ip"; retryAfterSeconds: number };

export function windowStart(now: Date, limits: ThrottleLimits): Date {
  return new Date(now.getTime() - limits.windowMinutes * 60_000);
}

export function decideLogin(failures: RecentFailures, limits: ThrottleLimits, now: Date): ThrottleDecision {
  const retryAfter = (oldest: Date | undefined) => {
    const windowMs = limits.windowMinutes * 60_000;
    if (!oldest) return Math.ceil(windowMs / 1000);
    return Math.max(1, Math.ceil((oldest.getTime() + windowMs - now.getTime()) / 1000));
  };
  if (failures.account >= limits.maxFailuresPerAccount) {
    return { allowed: false, scope: "account", retryAfterSeconds: retryAfter(failures.oldestAccountFailure) };
  }
  if (failures.ip >= limits.maxFailuresPerIp && !failures.knownFromIp) {
    return { allowed: false, scope: "ip", retryAfterSeconds: retryAfter(failures.oldestIpFailure) };
  }
  return { allowed: true };
}

export function describeWait(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "about a minute" : `${minutes} minutes`;
}

/** Self-service password resets per window: a few mails per address, a few more per IP (then a 429). */
export const RESET_LIMITS = { perAccount: 3, perIp: 10 } as const;

export type ResetDecision = "send" | "skip-silently" | "refuse";

/**
 * Whether to send another reset mail. Past the per-address limit the answer
 * looks the same as ever (so nobody learns whether an address exists) but no
 * mail goes out; past the per-IP limit the request is refused.
 */
export function decideReset(recent: { account: number; ip: number }): ResetDecision {
  if (recent.ip >= RESET_LIMITS.perIp) return "refuse";
  if (recent.account >= RESET_LIMITS.perAccount) return "skip-silently";
  return "send";
}
