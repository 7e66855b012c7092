import { describe, expect, it } from "vitest";
import { decideLogin, decideReset, describeWait, RESET_LIMITS, windowStart } from "#app/domain/login-throttle";

const limits = { windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerIp: 20 };
const now = new Date("2026-11-25T12:00:00Z");

describe("login throttle", () => {
  it("allows attempts below both limits", () => {
    expect(decideLogin({ account: 4, ip: 19 }, limits, now)).toEqual({ allowed: true });
  });

  it("blocks an account at its limit, until the oldest counted failure leaves the window", () => {
    const oldest = new Date(now.getTime() - 10 * 60_000);
    expect(decideLogin({ account: 5, ip: 5, oldestAccountFailure: oldest }, limits, now)).toEqual({
      allowed: false,
      scope: "account",
      retryAfterSeconds: 5 * 60,
    });
  });

  it("blocks an IP at its limit", () => {
    const d = decideLogin({ account: 0, ip: 20, oldestIpFailure: new Date(now.getTime() - 60_000) }, limits, now);
    expect(d).toEqual({ allowed: false, scope: "ip", retryAfterSeconds: 14 * 60 });
  });

  it("does not apply the IP limit to an account already signed in from that IP, but still the account limit", () => {
    expect(decideLogin({ account: 0, ip: 25, knownFromIp: true }, limits, now)).toEqual({ allowed: true });
    expect(decideLogin({ account: 5, ip: 25, knownFromIp: true }, limits, now)).toMatchObject({ allowed: false, scope: "account" });
    expect(decideLogin({ account: 0, ip: 25, knownFromIp: false }, limits, now)).toMatchObject({ allowed: false, scope: "ip" });
  });

  it("never asks for less than a second", () => {
    const d = decideLogin({ account: 5, ip: 0, oldestAccountFailure: new Date(now.getTime() - 15 * 60_000) }, limits, now);
    expect(d).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it("computes the window start and a readable wait", () => {
    expect(windowStart(now, limits).toISOString()).toBe("2026-11-25T11:45:00.000Z");
    expect(describeWait(30)).toBe("about a minute");
    expect(describeWait(125)).toBe("3 minutes");
  });
});

describe("password-reset requests", () => {
  it("send, then skip silently past the per-address limit, and refuse past the per-IP limit", () => {
    expect(decideReset({ account: 0, ip: 0 })).toBe("send");
    expect(decideReset({ account: RESET_LIMITS.perAccount - 1, ip: 0 })).toBe("send");
    expect(decideReset({ account: RESET_LIMITS.perAccount, ip: 0 })).toBe("skip-silently");
    expect(decideReset({ account: 0, ip: RESET_LIMITS.perIp })).toBe("refuse");
    expect(decideReset({ account: RESET_LIMITS.perAccount, ip: RESET_LIMITS.perIp })).toBe("refuse");
  });
});
