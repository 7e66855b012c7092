import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION, purgeDecision, ratedDeadline, unratedDeadline, uploadDeadline } from "#app/domain/retention";

const T = new Date("2026-12-01T12:00:00Z");

describe("recording retention", () => {
  it("computes deadlines from the policy", () => {
    expect(uploadDeadline(DEFAULT_RETENTION, T).toISOString()).toBe("2026-12-02T12:00:00.000Z");
    expect(unratedDeadline(DEFAULT_RETENTION, T).toISOString()).toBe("2027-05-30T12:00:00.000Z");
    expect(ratedDeadline({ ...DEFAULT_RETENTION, keepDaysAfterFinal: 7 }, T).toISOString()).toBe("2026-12-08T12:00:00.000Z");
  });

  it("purges what is due, never what is held, at once what is withdrawn", () => {
    const past = new Date(T.getTime() - 1);
    const future = new Date(T.getTime() + 1);
    expect(purgeDecision({ status: "READY", deleteAfter: past, legalHold: false }, T)).toEqual({ purge: true });
    expect(purgeDecision({ status: "READY", deleteAfter: T, legalHold: false }, T)).toEqual({ purge: true });
    expect(purgeDecision({ status: "READY", deleteAfter: future, legalHold: false }, T)).toEqual({ purge: false, reason: "not-due" });
    expect(purgeDecision({ status: "UPLOADING", deleteAfter: past, legalHold: false }, T)).toEqual({ purge: true });
    expect(purgeDecision({ status: "WITHDRAWN", deleteAfter: future, legalHold: false }, T)).toEqual({ purge: true });
    expect(purgeDecision({ status: "WITHDRAWN", deleteAfter: past, legalHold: true }, T)).toEqual({ purge: false, reason: "held" });
    expect(purgeDecision({ status: "READY", deleteAfter: past, legalHold: true }, T)).toEqual({ purge: false, reason: "held" });
    expect(purgeDecision({ status: "PURGED", deleteAfter: past, legalHold: false }, T)).toEqual({
      purge: false,
      reason: "already-purged",
    });
  });
});
