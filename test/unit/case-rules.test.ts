import { describe, expect, it } from "vitest";
import {
  ClientCodeSchema,
  ConsentSchema,
  canChangeStatus,
  clientCodeProblem,
  consentAllows,
  formatMinutes,
  SessionSchema,
  SupervisionReviewSchema,
  SupervisionSchema,
  supervisionTotals,
} from "#app/domain/case-rules";
import { parseWith } from "#app/forms/parse";

const NOW = new Date("2026-12-01T10:00:00Z");

describe("client codes", () => {
  it("accepts pseudonymous codes and upper-cases them", () => {
    expect(clientCodeProblem("C-0417")).toBeNull();
    expect(clientCodeProblem("DIT2-07")).toBeNull();
    expect(ClientCodeSchema.parse("  c-0417 ")).toBe("C-0417");
  });

  it("refuses initials, names, dates of birth and odd characters", () => {
    expect(clientCodeProblem("JS")).toBe("format");
    expect(clientCodeProblem("JSMB")).toBe("no-digit");
    expect(clientCodeProblem("JANE SMITH")).toBe("format");
    expect(clientCodeProblem("JS-120385")).toBe("date-like");
    expect(clientCodeProblem("19850312")).toBe("date-like");
    expect(clientCodeProblem("P-12.03.85")).toBe("format");
    expect(clientCodeProblem("12-03-1985")).toBe("date-like");
    const parsed = parseWith(ClientCodeSchema, "js");
    expect(parsed).toEqual({ ok: false, errors: { form: "Use 4–16 capital letters, digits or hyphens, e.g. C-0417" } });
  });
});

describe("case status", () => {
  it("only an open case changes, and only to ended or withdrawn", () => {
    expect(canChangeStatus("OPEN", "ENDED")).toBe(true);
    expect(canChangeStatus("OPEN", "WITHDRAWN")).toBe(true);
    expect(canChangeStatus("OPEN", "OPEN")).toBe(false);
    expect(canChangeStatus("ENDED", "OPEN")).toBe(false);
    expect(canChangeStatus("WITHDRAWN", "ENDED")).toBe(false);
  });
});

describe("session form", () => {
  const schema = SessionSchema({ sessions: 16, startedOn: new Date("2026-10-01T00:00:00Z"), now: NOW });

  it("reads number, date and optional totals", () => {
    expect(parseWith(schema, { number: "3", heldOn: "2026-10-15", phq9: "14", gad7: "" })).toEqual({
      ok: true,
      data: { number: 3, heldOn: new Date("2026-10-15T00:00:00Z"), phq9: 14, gad7: null },
    });
  });

  it("refuses out-of-range numbers and totals, impossible and future dates", () => {
    const errors = (input: Record<string, string>) => {
      const r = parseWith(schema, { number: "1", heldOn: "2026-10-02", ...input });
      return r.ok ? {} : r.errors;
    };
    expect(errors({ number: "17" })).toHaveProperty("number");
    expect(errors({ number: "0" })).toHaveProperty("number");
    expect(errors({ number: "1e1" })).toHaveProperty("number");
    expect(errors({ phq9: "28" })).toEqual({ phq9: "The PHQ-9 total is between 0 and 27" });
    expect(errors({ gad7: "22" })).toEqual({ gad7: "The GAD-7 total is between 0 and 21" });
    expect(errors({ gad7: "-1" })).toHaveProperty("gad7");
    expect(errors({ heldOn: "2026-02-30" })).toEqual({ heldOn: "Enter a real date" });
    expect(errors({ heldOn: "2026-09-30" })).toEqual({ heldOn: "A session cannot be before the case started" });
    expect(errors({ heldOn: "2026-12-02" })).toEqual({ heldOn: "A session date cannot be in the future" });
    expect(errors({ heldOn: "2026-12-01" })).toEqual({});
  });
});

describe("supervision", () => {
  it("validates minutes and requires a note when querying", () => {
    const schema = SupervisionSchema(NOW);
    expect(parseWith(schema, { heldOn: "2026-11-20", minutes: "60" })).toEqual({
      ok: true,
      data: { heldOn: new Date("2026-11-20T00:00:00Z"), minutes: 60, notes: "" },
    });
    expect(parseWith(schema, { heldOn: "2026-11-20", minutes: "481" }).ok).toBe(false);
    expect(parseWith(schema, { heldOn: "2026-11-20", minutes: "4" }).ok).toBe(false);
    expect(parseWith(SupervisionReviewSchema, { entryId: "e", decision: "QUERIED", reviewNote: "" })).toEqual({
      ok: false,
      errors: { reviewNote: "Say what needs checking when you query an entry" },
    });
    expect(parseWith(SupervisionReviewSchema, { entryId: "e", decision: "CONFIRMED" }).ok).toBe(true);
  });

  it("counts only confirmed minutes", () => {
    const totals = supervisionTotals([
      { minutes: 60, status: "CONFIRMED" },
      { minutes: 50, status: "CONFIRMED" },
      { minutes: 45, status: "PENDING" },
      { minutes: 30, status: "QUERIED" },
    ]);
    expect(totals).toEqual({ confirmedMinutes: 110, pendingMinutes: 45, queriedMinutes: 30 });
    expect(formatMinutes(110)).toBe("1 h 50 min");
    expect(formatMinutes(960)).toBe("16 h");
    expect(formatMinutes(45)).toBe("45 min");
  });
});

describe("consent", () => {
  it("needs a scope and the trainee's confirmation", () => {
    const schema = ConsentSchema(NOW);
    const base = { consentOn: "2026-11-01", method: "WRITTEN_FORM", confirm: "on" };
    expect(parseWith(schema, { ...base, forAssessment: "on" })).toEqual({
      ok: true,
      data: {
        consentOn: new Date("2026-11-01T00:00:00Z"),
        method: "WRITTEN_FORM",
        forSupervision: false,
        forAssessment: true,
        confirm: "on",
      },
    });
    expect(parseWith(schema, base)).toEqual({ ok: false, errors: { forSupervision: "Choose what the client consented to" } });
    expect(parseWith(schema, { ...base, forSupervision: "on", confirm: undefined })).toEqual({
      ok: false,
      errors: { confirm: "Confirm that the client gave this consent" },
    });
  });

  it("allows an upload only under a current attestation covering its purpose", () => {
    const withdrawn = { forSupervision: true, forAssessment: true, withdrawnAt: new Date() };
    const supervisionOnly = { forSupervision: true, forAssessment: false, withdrawnAt: null };
    expect(consentAllows([], "assessment")).toBe(false);
    expect(consentAllows([withdrawn], "assessment")).toBe(false);
    expect(consentAllows([withdrawn, supervisionOnly], "assessment")).toBe(false);
    expect(consentAllows([withdrawn, supervisionOnly], "supervision")).toBe(true);
  });
});
