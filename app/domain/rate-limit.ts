import { isIPv4, isIPv6 } from "node:net";

/**
 * Request rate limits over fixed time windows, counted in the database so that
 * they hold across app instances (app/models/rate-limit.server.ts keeps the
 * counts; ADR 0034). Pure: the window arithmetic, the decision and the client
 * key.
 *
 * A fixed window lets a client send up to twice the limit across a window's
 * edge (the end of one window and the start of the next); that is the price of
 * one atomic statement per request instead of a log of every request.
 */
export type RateLimit = {
  /** Requests allowed per window and client. */
  max: number;
  windowSeconds: number;
};

export type RateDecision = { allowed: true; remaining: number; resetSeconds: number } | { allowed: false; retryAfterSeconds: number };

/** The start (ms since the epoch) of the window `now` falls in. */
export function windowStartOf(now: Date, limit: RateLimit): number {
  const ms = limit.windowSeconds * 1000;
  return Math.floor(now.getTime() / ms) * ms;
}

/** Whether the `count`-th request of this window (this one included) may go ahead. */
export function decideRate(count: number, limit: RateLimit, now: Date): RateDecision {
  const end = windowStartOf(now, limit) + limit.windowSeconds * 1000;
  const resetSeconds = Math.max(1, Math.ceil((end - now.getTime()) / 1000));
  if (count > limit.max) return { allowed: false, retryAfterSeconds: resetSeconds };
  return { allowed: true, remaining: limit.max - count, resetSeconds };
}

/**
 * Whom a request is counted against: its client address, with IPv4-mapped IPv6
 * addresses (::ffff:198.51.100.7) as the IPv4 address they are, and other IPv6
 * addresses by their /64 network — a single host is usually given a whole /64
 * and could otherwise step through addresses to escape the limit.
 */
export function rateLimitClient(ip: string): string {
  const address = ip.trim().toLowerCase();
  const mapped = address.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address || "unknown";
  return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, each without leading zeros (an embedded IPv4 tail converted). */
function expandIPv6(address: string): string[] {
  let text = address.split("%")[0] ?? address;
  const v4 = text.match(/(\d{1,3}(?:\.\d{1,3}){3})$/)?.[1];
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split(".").map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g || "0", 16).toString(16));
}
