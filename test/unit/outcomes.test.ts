import { describe, expect, it } from "vitest";
import {
  isCase,
  measureChange,
  NHS_TALKING_THERAPIES,
  type OutcomeDefinitions,
  OutcomeInputError,
  type SessionScores,
  summariseOutcomes,
} from "#app/domain/outcomes";

const s = (session: number, phq9: number, gad7: number): SessionScores => ({ session, phq9, gad7 });

function assessed(scores: SessionScores[], defs?: OutcomeDefinitions) {
  const summary = summariseOutcomes(scores, defs);
  if (summary.kind !== "assessed") throw new Error(`expected an assessed outcome, got ${summary.kind}`);
  return summary;
}

describe("caseness (PHQ-9 ≥ 10 or GAD-7 ≥ 8)", () => {
  it("is decided at the cut-offs, on either measure", () => {
    expect(isCase(s(1, 10, 0))).toBe(true);
    expect(isCase(s(1, 0, 8))).toBe(true);
    expect(isCase(s(1, 9, 7))).toBe(false);
    expect(isCase(s(1, 27, 21))).toBe(true);
  });
});

describe("reliable change (PHQ-9 6, GAD-7 4)", () => {
  it("counts a change of exactly the index, and not one less", () => {
    expect(measureChange(16, 10, NHS_TALKING_THERAPIES.phq9)).toBe("reliable-improvement");
    expect(measureChange(16, 11, NHS_TALKING_THERAPIES.phq9)).toBe("no-reliable-change");
    expect(measureChange(5, 9, NHS_TALKING_THERAPIES.gad7)).toBe("reliable-deterioration");
    expect(measureChange(5, 8, NHS_TALKING_THERAPIES.gad7)).toBe("no-reliable-change");
  });
});

describe("the outcome of a course", () => {
  it("a case who ends below caseness on both with a reliable fall: recovery, reliable improvement, reliable recovery", () => {
    const o = assessed([s(1, 16, 12), s(2, 15, 12), s(8, 11, 9), s(16, 6, 5)]);
    expect(o).toMatchObject({
      measurements: 4,
      firstSession: 1,
      lastSession: 16,
      caseAtEntry: true,
      caseAtEnd: false,
      recovery: true,
      reliableImprovement: true,
      reliableDeterioration: false,
      reliableRecovery: true,
      measures: { phq9: { from: 16, to: 6, change: "reliable-improvement" }, gad7: { from: 12, to: 5, change: "reliable-improvement" } },
    });
  });

  it("not a case at entry: no recovery, even with a reliable fall", () => {
    const o = assessed([s(1, 9, 7), s(16, 2, 1)]);
    expect(o).toMatchObject({ caseAtEntry: false, recovery: false, reliableImprovement: true, reliableRecovery: false });
  });

  it("reliable improvement on one measure with reliable deterioration on the other: not reliable improvement, but deterioration", () => {
    const o = assessed([s(1, 18, 6), s(16, 10, 10)]);
    expect(o.measures.phq9.change).toBe("reliable-improvement");
    expect(o.measures.gad7.change).toBe("reliable-deterioration");
    expect(o).toMatchObject({ reliableImprovement: false, reliableDeterioration: true, recovery: false, reliableRecovery: false });
  });

  it("a reliable fall on one measure and no reliable change on the other is reliable improvement", () => {
    expect(assessed([s(1, 15, 9), s(16, 9, 7)])).toMatchObject({ reliableImprovement: true, recovery: true, reliableRecovery: true });
  });

  it("recovery without a reliable fall is recovery but not reliable recovery", () => {
    expect(assessed([s(1, 11, 8), s(16, 7, 7)])).toMatchObject({ recovery: true, reliableImprovement: false, reliableRecovery: false });
  });

  it("still a case on one measure at the end: no recovery", () => {
    expect(assessed([s(1, 20, 15), s(16, 5, 8)])).toMatchObject({ caseAtEnd: true, recovery: false, reliableImprovement: true });
  });

  it("a rise on either measure is reliable deterioration", () => {
    expect(assessed([s(1, 8, 3), s(16, 14, 3)])).toMatchObject({ reliableDeterioration: true, reliableImprovement: false });
    expect(assessed([s(1, 12, 3), s(16, 12, 7)])).toMatchObject({ reliableDeterioration: true, reliableImprovement: false });
  });

  it("compares the first and last sessions by number, whatever the order given and the sessions between", () => {
    const o = assessed([s(16, 6, 5), s(3, 27, 21), s(1, 16, 12)]);
    expect(o).toMatchObject({ firstSession: 1, lastSession: 16, measures: { phq9: { from: 16, to: 6 }, gad7: { from: 12, to: 5 } } });
  });

  it("fewer than two measurements: no outcome yet", () => {
    expect(summariseOutcomes([])).toEqual({ kind: "insufficient", measurements: 0, caseAtEntry: null });
    expect(summariseOutcomes([s(1, 14, 3)])).toEqual({ kind: "insufficient", measurements: 1, caseAtEntry: true });
  });

  it("takes its thresholds from the data (e.g. a service's own anxiety measure)", () => {
    const defs: OutcomeDefinitions = { ...NHS_TALKING_THERAPIES, gad7: { label: "ADSM", max: 80, caseness: 40, reliableChange: 10 } };
    const scores = [s(1, 5, 50), s(16, 4, 38)];
    expect(assessed(scores, defs)).toMatchObject({ caseAtEntry: true, recovery: true, reliableImprovement: true });
    expect(() => summariseOutcomes(scores)).toThrow(OutcomeInputError);
  });
});

describe("input validation", () => {
  const bad: Array<[string, SessionScores[], string]> = [
    ["PHQ-9 above 27", [s(1, 28, 0)], "scores[0].phq9"],
    ["GAD-7 above 21", [s(1, 0, 0), s(2, 0, 22)], "scores[1].gad7"],
    ["a negative total", [s(1, -1, 0)], "scores[0].phq9"],
    ["a fraction", [s(1, 3.5, 0)], "scores[0].phq9"],
    ["not a number", [s(1, Number.NaN, 0)], "scores[0].phq9"],
    ["session 0", [s(0, 1, 1)], "scores[0].session"],
    ["a session twice", [s(1, 1, 1), s(1, 2, 2)], "scores[1].session"],
  ];
  for (const [name, scores, field] of bad) {
    it(`refuses ${name} with a typed error naming the field`, () => {
      expect(() => summariseOutcomes(scores)).toThrow(expect.objectContaining({ name: "OutcomeInputError", field }));
    });
  }

  it("accepts the ends of each range", () => {
    expect(assessed([s(1, 0, 0), s(2, 27, 21)]).reliableDeterioration).toBe(true);
  });
});
