import { describe, expect, it } from "vitest";
import { DIT_STANDARD, type PhasePlan, PhasePlanError, phaseOf, planById, validatePhasePlan } from "#app/domain/phases";

/** A 26-session plan as a training body might load it (Attune ships no DIT-CC split of its own). */
const longer: PhasePlan = {
  name: "Complex cases (26 sessions)",
  totalSessions: 26,
  phases: [
    { id: "initial", label: "Initial", firstSession: 1, lastSession: 6 },
    { id: "middle", label: "Middle", firstSession: 7, lastSession: 20 },
    { id: "ending", label: "Ending", firstSession: 21, lastSession: 26 },
  ],
};

describe("DIT phases", () => {
  it("puts sessions 1–4, 5–12 and 13–16 in the initial, middle and ending phases", () => {
    const ids = Array.from({ length: 16 }, (_, i) => phaseOf(i + 1).id);
    expect(ids).toEqual([...Array(4).fill("initial"), ...Array(8).fill("middle"), ...Array(4).fill("ending")]);
  });

  it("refuses sessions outside the plan", () => {
    for (const n of [0, 17, -1, 2.5, Number.NaN]) expect(() => phaseOf(n)).toThrow(PhasePlanError);
  });

  it("uses a replacement plan when given one", () => {
    expect(validatePhasePlan(longer)).toBe(longer);
    expect(phaseOf(6, longer).id).toBe("initial");
    expect(phaseOf(20, longer).id).toBe("middle");
    expect(phaseOf(26, longer).id).toBe("ending");
    expect(() => phaseOf(27, longer)).toThrow(/sessions 1–26/);
  });

  it("the shipped plan is valid", () => {
    expect(validatePhasePlan(DIT_STANDARD)).toBe(DIT_STANDARD);
  });

  const broken = (change: (p: PhasePlan) => PhasePlan) => change(structuredClone(DIT_STANDARD) as PhasePlan);
  const cases: Array<[string, PhasePlan, RegExp]> = [
    [
      "a gap",
      broken((p) => ({ ...p, phases: p.phases.map((x) => (x.id === "middle" ? { ...x, firstSession: 6 } : x)) })),
      /start at session 5/,
    ],
    [
      "an overlap",
      broken((p) => ({ ...p, phases: p.phases.map((x) => (x.id === "middle" ? { ...x, firstSession: 4 } : x)) })),
      /start at session 5/,
    ],
    ["phases out of order", broken((p) => ({ ...p, phases: [...p.phases].reverse() })), /in that order/],
    ["a missing phase", broken((p) => ({ ...p, phases: p.phases.slice(0, 2) })), /in that order/],
    ["an end short of the total", broken((p) => ({ ...p, totalSessions: 17 })), /end at session 17/],
    ["too many sessions", broken((p) => ({ ...p, totalSessions: 53 })), /from 3 to 52/],
    [
      "an empty phase",
      broken((p) => ({ ...p, phases: p.phases.map((x) => (x.id === "initial" ? { ...x, lastSession: 0 } : x)) })),
      /same or a later/,
    ],
    [
      "a blank label",
      broken((p) => ({ ...p, phases: p.phases.map((x) => (x.id === "ending" ? { ...x, label: " " } : x)) })),
      /needs a label/,
    ],
  ];
  for (const [name, plan, message] of cases) {
    it(`refuses a plan with ${name}`, () => {
      expect(() => validatePhasePlan(plan)).toThrow(message);
    });
  }
});

describe("plans by id", () => {
  it("finds the standard plan by the id a case stores, and refuses unknown ids", () => {
    expect(planById("dit-16")).toBe(DIT_STANDARD);
    expect(() => planById("dit-cc-26")).toThrow(PhasePlanError);
  });
});
