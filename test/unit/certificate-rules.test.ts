import { describe, expect, it } from "vitest";
import {
  CpdEntrySchema,
  cpdSince,
  expiryFor,
  expiryNoticeDue,
  expiryToRecord,
  publicStatus,
  renewalCheck,
  StatusChangeSchema,
  statusChangeProblem,
} from "#app/domain/certificate-rules";
import { parseWith } from "#app/forms/parse";

const NOW = new Date("2027-03-10T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("public status", () => {
  it("is valid, suspended or revoked by status, and expired by date", () => {
    const future = new Date("2028-01-01T00:00:00Z");
    const past = new Date("2027-03-10T11:59:59Z");
    expect(publicStatus({ status: "ACTIVE", expiresAt: future }, NOW)).toBe("valid");
    expect(publicStatus({ status: "ACTIVE", expiresAt: null }, NOW)).toBe("valid");
    expect(publicStatus({ status: "SUSPENDED", expiresAt: future }, NOW)).toBe("suspended");
    expect(publicStatus({ status: "REVOKED", expiresAt: future }, NOW)).toBe("revoked");
    expect(publicStatus({ status: "ACTIVE", expiresAt: past }, NOW)).toBe("expired");
    // The expiry instant itself is expired.
    expect(publicStatus({ status: "ACTIVE", expiresAt: NOW }, NOW)).toBe("expired");
    // Expiry outranks suspension; revocation outranks both.
    expect(publicStatus({ status: "SUSPENDED", expiresAt: past }, NOW)).toBe("expired");
    expect(publicStatus({ status: "REVOKED", expiresAt: past }, NOW)).toBe("revoked");
  });
});

describe("dates", () => {
  it("gives no expiry to an open-ended credential", () => {
    expect(expiryFor(NOW, null)).toBeNull();
    expect(expiryFor(NOW, 36)?.toISOString()).toBe("2030-03-10T12:00:00.000Z");
    // Calendar months, clamped to the month's end.
    expect(expiryFor(new Date("2027-01-31T08:00:00Z"), 13)?.toISOString()).toBe("2028-02-29T08:00:00.000Z");
  });

  it("sends the expiry notice once, from 60 days before expiry, to active certificates not renewed", () => {
    const base = { status: "ACTIVE" as const, expiryNoticeAt: null, renewed: false };
    const in60 = new Date(NOW.getTime() + 60 * 86_400_000);
    const in61 = new Date(NOW.getTime() + 61 * 86_400_000);
    expect(expiryNoticeDue({ ...base, expiresAt: in60 }, NOW)).toBe(true);
    expect(expiryNoticeDue({ ...base, expiresAt: in61 }, NOW)).toBe(false);
    expect(expiryNoticeDue({ ...base, expiresAt: null }, NOW)).toBe(false);
    expect(expiryNoticeDue({ ...base, expiresAt: in60, expiryNoticeAt: NOW }, NOW)).toBe(false);
    expect(expiryNoticeDue({ ...base, expiresAt: in60, renewed: true }, NOW)).toBe(false);
    expect(expiryNoticeDue({ ...base, expiresAt: in60, status: "SUSPENDED" }, NOW)).toBe(false);
    expect(expiryNoticeDue({ ...base, expiresAt: new Date(NOW.getTime() - 1) }, NOW)).toBe(false);
  });

  it("records an expiry once it has passed, unless revoked", () => {
    const past = new Date(NOW.getTime() - 1000);
    expect(expiryToRecord({ status: "ACTIVE", expiresAt: past, expiredAt: null }, NOW)).toBe(true);
    expect(expiryToRecord({ status: "SUSPENDED", expiresAt: past, expiredAt: null }, NOW)).toBe(true);
    expect(expiryToRecord({ status: "REVOKED", expiresAt: past, expiredAt: null }, NOW)).toBe(false);
    expect(expiryToRecord({ status: "ACTIVE", expiresAt: past, expiredAt: NOW }, NOW)).toBe(false);
    expect(expiryToRecord({ status: "ACTIVE", expiresAt: null, expiredAt: null }, NOW)).toBe(false);
    expect(expiryToRecord({ status: "ACTIVE", expiresAt: new Date(NOW.getTime() + 1000), expiredAt: null }, NOW)).toBe(false);
  });
});

describe("status changes", () => {
  const future = new Date("2029-01-01T00:00:00Z");
  const past = new Date("2027-01-01T00:00:00Z");

  it("suspends active, reinstates suspended, revokes either; revocation is final", () => {
    expect(statusChangeProblem("suspend", { status: "ACTIVE", expiresAt: future }, NOW)).toBeNull();
    expect(statusChangeProblem("suspend", { status: "SUSPENDED", expiresAt: future }, NOW)).toMatch(/Only an active/);
    expect(statusChangeProblem("reinstate", { status: "SUSPENDED", expiresAt: future }, NOW)).toBeNull();
    expect(statusChangeProblem("reinstate", { status: "ACTIVE", expiresAt: future }, NOW)).toMatch(/Only a suspended/);
    expect(statusChangeProblem("revoke", { status: "ACTIVE", expiresAt: future }, NOW)).toBeNull();
    expect(statusChangeProblem("revoke", { status: "SUSPENDED", expiresAt: null }, NOW)).toBeNull();
    for (const change of ["suspend", "reinstate", "revoke"] as const) {
      expect(statusChangeProblem(change, { status: "REVOKED", expiresAt: future }, NOW)).toMatch(/final/);
    }
  });

  it("does not suspend or reinstate an expired certificate, but may revoke it", () => {
    expect(statusChangeProblem("suspend", { status: "ACTIVE", expiresAt: past }, NOW)).toMatch(/expired/);
    expect(statusChangeProblem("reinstate", { status: "SUSPENDED", expiresAt: past }, NOW)).toMatch(/expired/);
    expect(statusChangeProblem("revoke", { status: "ACTIVE", expiresAt: past }, NOW)).toBeNull();
  });

  it("needs a reason to suspend or revoke, and a confirmation to revoke", () => {
    expect(parseWith(StatusChangeSchema, { intent: "suspend", reason: "" })).toMatchObject({
      ok: false,
      errors: { reason: expect.stringMatching(/reason/) },
    });
    expect(parseWith(StatusChangeSchema, { intent: "suspend", reason: "  Complaint under investigation " })).toEqual({
      ok: true,
      data: { intent: "suspend", reason: "Complaint under investigation" },
    });
    expect(parseWith(StatusChangeSchema, { intent: "revoke", reason: "Registration removed by the home body" })).toMatchObject({
      ok: false,
      errors: { confirm: "Confirm that revocation is final" },
    });
    expect(parseWith(StatusChangeSchema, { intent: "revoke", reason: "Registration removed", confirm: "yes" }).ok).toBe(true);
    expect(parseWith(StatusChangeSchema, { intent: "reinstate" })).toEqual({ ok: true, data: { intent: "reinstate", reason: null } });
    expect(parseWith(StatusChangeSchema, { intent: "delete" }).ok).toBe(false);
  });
});

describe("renewal", () => {
  const rule = { cpdHours: 30, periodMonths: 36, validityMonths: 36 };
  const cert = {
    status: "ACTIVE" as const,
    issuedAt: new Date("2024-05-01T09:00:00Z"),
    expiresAt: new Date("2027-05-01T09:00:00Z"),
    renewed: false,
  };
  const entry = (id: string, date: string, hours: number, kind: "CLINICAL" | "GENERAL" = "GENERAL") => ({
    id,
    date: day(date),
    hours,
    kind,
  });

  it("counts CPD from the day of issue on", () => {
    const entries = [entry("a", "2024-04-30", 5), entry("b", "2024-05-01", 1.5), entry("c", "2026-01-01", 2)];
    expect(cpdSince(entries, cert.issuedAt).map((e) => e.id)).toEqual(["b", "c"]);
  });

  it("renews once enough hours are logged since issue, from the old expiry", () => {
    const entries = [entry("old", "2024-01-01", 20), entry("x", "2025-01-01", 20.25, "CLINICAL"), entry("y", "2026-01-01", 9.5)];
    const short = renewalCheck({ rule, cert, entries, now: NOW });
    expect(short).toMatchObject({ hoursLogged: 29.75, hoursClinical: 20.25, hoursRequired: 30 });
    expect(short.problem).toBe("29.75 hours of CPD logged since 2024-05-01; renewal needs 30 hours.");
    const enough = renewalCheck({ rule, cert, entries: [...entries, entry("z", "2027-03-01", 0.25)], now: NOW });
    expect(enough.problem).toBeNull();
    expect(enough.hoursLogged).toBe(30);
    expect(enough.newExpiry?.toISOString()).toBe("2030-05-01T09:00:00.000Z");
  });

  it("counts only the last periodMonths when that is shorter than the time since issue", () => {
    const yearly = { cpdHours: 10, periodMonths: 12, validityMonths: 36 };
    const entries = [entry("early", "2025-06-01", 8), entry("late", "2026-04-01", 6), entry("recent", "2027-03-01", 3)];
    const check = renewalCheck({ rule: yearly, cert, entries, now: NOW });
    expect(check.countedSince.toISOString()).toBe("2026-03-10T00:00:00.000Z");
    expect(check.hoursLogged).toBe(9);
    expect(check.problem).toBe("9 hours of CPD logged since 2026-03-10; renewal needs 10 hours.");
    // The new expiry is validityMonths after the old one.
    const longer = renewalCheck({
      rule: { ...yearly, validityMonths: 12 },
      cert,
      entries: [...entries, entry("more", "2027-03-09", 1)],
      now: NOW,
    });
    expect(longer.problem).toBeNull();
    expect(longer.newExpiry?.toISOString()).toBe("2028-05-01T09:00:00.000Z");
  });

  it("does not count entries dated after now", () => {
    const check = renewalCheck({ rule, cert, entries: [entry("x", "2025-01-01", 29), entry("future", "2027-04-01", 5)], now: NOW });
    expect(check.hoursLogged).toBe(29);
  });

  it("renews a lapsed certificate from the day of renewal", () => {
    const lapsed = { ...cert, expiresAt: new Date("2027-01-01T00:00:00Z") };
    const check = renewalCheck({ rule, cert: lapsed, entries: [entry("x", "2025-01-01", 30)], now: NOW });
    expect(check.problem).toBeNull();
    expect(check.newExpiry?.toISOString()).toBe("2030-03-10T12:00:00.000Z");
  });

  it("refuses open-ended, renewed, revoked and suspended certificates", () => {
    const entries = [entry("x", "2025-01-01", 40)];
    expect(renewalCheck({ rule: null, cert, entries, now: NOW }).problem).toMatch(/does not expire/);
    expect(renewalCheck({ rule, cert: { ...cert, expiresAt: null }, entries, now: NOW }).problem).toMatch(/does not expire/);
    expect(renewalCheck({ rule, cert: { ...cert, renewed: true }, entries, now: NOW }).problem).toMatch(/already been renewed/);
    expect(renewalCheck({ rule, cert: { ...cert, status: "REVOKED" }, entries, now: NOW }).problem).toMatch(/revoked/);
    expect(renewalCheck({ rule, cert: { ...cert, status: "SUSPENDED" }, entries, now: NOW }).problem).toMatch(/reinstated/);
  });

  it("takes CPD entries in quarter hours, dated up to today", () => {
    const schema = CpdEntrySchema(NOW);
    const ok = parseWith(schema, { date: "2027-03-10", hours: "1.5", kind: "CLINICAL", description: " DIT supervision group " });
    expect(ok).toEqual({ ok: true, data: { date: day("2027-03-10"), hours: 1.5, kind: "CLINICAL", description: "DIT supervision group" } });
    expect(parseWith(schema, { date: "2027-03-11", hours: "1", kind: "GENERAL", description: "Reading" })).toMatchObject({
      errors: { date: "A CPD date cannot be in the future" },
    });
    expect(parseWith(schema, { date: "2027-02-30", hours: "1", kind: "GENERAL", description: "Reading" }).ok).toBe(false);
    expect(parseWith(schema, { date: "2027-03-01", hours: "1.1", kind: "GENERAL", description: "Reading" })).toMatchObject({
      errors: { hours: expect.stringMatching(/quarter hours/) },
    });
    expect(parseWith(schema, { date: "2027-03-01", hours: "25", kind: "GENERAL", description: "Reading" }).ok).toBe(false);
    expect(parseWith(schema, { date: "2027-03-01", hours: "0", kind: "GENERAL", description: "Reading" }).ok).toBe(false);
    expect(parseWith(schema, { date: "2027-03-01", hours: "-1", kind: "GENERAL", description: "Reading" }).ok).toBe(false);
    expect(parseWith(schema, { date: "2027-03-01", hours: "2", kind: "OTHER", description: "Reading" }).ok).toBe(false);
    expect(parseWith(schema, { date: "2027-03-01", hours: "2", kind: "GENERAL", description: "" }).ok).toBe(false);
  });
});
