import { describe, expect, it } from "vitest";
import { decideRate, rateLimitClient, windowStartOf } from "#app/domain/rate-limit";

const LIMIT = { max: 3, windowSeconds: 60 };

describe("rate limit decisions", () => {
  it("puts every moment of a window in the same window, and the next minute in the next", () => {
    const start = windowStartOf(new Date("2026-12-01T10:00:00.000Z"), LIMIT);
    expect(start).toBe(Date.parse("2026-12-01T10:00:00.000Z"));
    expect(windowStartOf(new Date("2026-12-01T10:00:59.999Z"), LIMIT)).toBe(start);
    expect(windowStartOf(new Date("2026-12-01T10:01:00.000Z"), LIMIT)).toBe(start + 60_000);
  });

  it("allows up to the limit and refuses past it, until the window ends", () => {
    const now = new Date("2026-12-01T10:00:15.200Z");
    expect(decideRate(1, LIMIT, now)).toEqual({ allowed: true, remaining: 2, resetSeconds: 45 });
    expect(decideRate(3, LIMIT, now)).toEqual({ allowed: true, remaining: 0, resetSeconds: 45 });
    expect(decideRate(4, LIMIT, now)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(decideRate(400, LIMIT, new Date("2026-12-01T10:00:59.999Z"))).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe("whom a request is counted against", () => {
  it("counts IPv4 addresses and IPv4-mapped IPv6 addresses as the same client", () => {
    expect(rateLimitClient("198.51.100.7")).toBe("198.51.100.7");
    expect(rateLimitClient("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(rateLimitClient("::FFFF:198.51.100.7")).toBe("198.51.100.7");
  });

  it("counts an IPv6 host by its /64, however it writes the address", () => {
    const a = rateLimitClient("2001:db8:abcd:12::1");
    expect(a).toBe("2001:db8:abcd:12::/64");
    expect(rateLimitClient("2001:0db8:abcd:0012:ffff:ffff:ffff:fffe")).toBe(a);
    expect(rateLimitClient("2001:db8:abcd:13::1")).not.toBe(a);
    expect(rateLimitClient("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitClient("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(rateLimitClient("64:ff9b::192.0.2.33")).toBe("64:ff9b:0:0::/64");
  });

  it("keeps anything else as it is", () => {
    expect(rateLimitClient("unknown")).toBe("unknown");
    expect(rateLimitClient("")).toBe("unknown");
  });
});
