import type { AppLoadContext } from "@remix-run/node";
import { getDb } from "#app/db.server";
import { type RateDecision, type RateLimit, rateLimitClient } from "#app/domain/rate-limit";
import { env } from "#app/env.server";
import { hitRateLimit } from "#app/models/rate-limit.server";

/** The public lookups' limit (VERIFY_RATE_LIMIT per VERIFY_RATE_WINDOW_SECONDS, per client address). */
export function verifyRateLimit(): RateLimit {
  const e = env();
  return { max: e.VERIFY_RATE_LIMIT, windowSeconds: e.VERIFY_RATE_WINDOW_SECONDS };
}

/**
 * Counts one public lookup (verification page, JSON API, credentials, register) against the client's address —
 * `context.clientIp`, which already follows TRUST_PROXY — in the database, so every instance shares the count.
 */
export function countLookup(context: Pick<AppLoadContext, "clientIp">, now = new Date()): Promise<RateDecision> {
  return hitRateLimit(getDb(), `verify:${rateLimitClient(context.clientIp)}`, verifyRateLimit(), now);
}
