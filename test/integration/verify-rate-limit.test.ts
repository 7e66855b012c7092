// The verification rate limit is held in the database: concurrent requests on two app instances (two database
// clients on one database, as two processes would have) share one count, and can never pass the limit together.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createPrisma, getDb } from "#app/db.server";
import { env } from "#app/env.server";
import { hitRateLimit, rateLimitCount } from "#app/models/rate-limit.server";

const other = createPrisma(env().DATABASE_URL);
afterAll(() => other.$disconnect());

const key = () => `test:${randomBytes(6).toString("hex")}`;

describe("rate limit in the database", () => {
  it("counts each request once and refuses past the limit until the next window", async () => {
    const limit = { max: 3, windowSeconds: 60 };
    const k = key();
    const at = new Date("2026-12-01T10:00:10Z");
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await hitRateLimit(getDb(), k, limit, at));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(await rateLimitCount(getDb(), k, limit, at)).toBe(5);
    // A new window starts from zero.
    expect(await hitRateLimit(getDb(), k, limit, new Date("2026-12-01T10:01:00Z"))).toEqual({
      allowed: true,
      remaining: 2,
      resetSeconds: 60,
    });
  });

  it("holds across two instances hitting it at once: exactly the limit gets through", async () => {
    const limit = { max: 10, windowSeconds: 60 };
    const k = key();
    const at = new Date();
    const hits = Array.from({ length: 30 }, (_, i) => hitRateLimit(i % 2 ? other : getDb(), k, limit, at));
    const decisions = await Promise.all(hits);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(await rateLimitCount(other, k, limit, at)).toBe(30);
  });

  it("keeps clients apart", async () => {
    const limit = { max: 1, windowSeconds: 60 };
    const [a, b] = [key(), key()];
    expect((await hitRateLimit(getDb(), a, limit)).allowed).toBe(true);
    expect((await hitRateLimit(getDb(), a, limit)).allowed).toBe(false);
    expect((await hitRateLimit(other, b, limit)).allowed).toBe(true);
  });

  it("drops the buckets of windows that are over", async () => {
    const limit = { max: 5, windowSeconds: 60 };
    const k = key();
    await hitRateLimit(getDb(), k, limit, new Date("2026-01-01T00:00:00Z"));
    expect(await rateLimitCount(getDb(), k, limit, new Date("2026-01-01T00:00:00Z"))).toBe(1);
    // The first request of a later window prunes what ended before the previous one.
    await hitRateLimit(getDb(), key(), limit, new Date("2026-01-01T00:05:00Z"));
    expect(await rateLimitCount(getDb(), k, limit, new Date("2026-01-01T00:00:00Z"))).toBe(0);
  });
});
