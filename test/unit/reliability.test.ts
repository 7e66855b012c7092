import { describe, expect, it } from "vitest";
import {
  ICC_FORMS,
  type IccForm,
  intraclassCorrelation,
  intraclassCorrelationDetail,
  meanSquares,
  ReliabilityInputError,
  weightedKappa,
  weightedKappaDetail,
} from "#app/domain/reliability";

/** Shrout & Fleiss (1979), Table 2: four judges rate six targets. */
const SHROUT_FLEISS = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];

describe("intraclass correlation (Shrout & Fleiss 1979)", () => {
  it("reproduces the mean squares of their Table 2 analysis", () => {
    const ms = meanSquares(SHROUT_FLEISS);
    // Their Table 3: BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02.
    expect(ms.n).toBe(6);
    expect(ms.k).toBe(4);
    expect(ms.bms).toBeCloseTo(11.24, 2);
    expect(ms.wms).toBeCloseTo(6.26, 2);
    expect(ms.jms).toBeCloseTo(32.49, 2);
    expect(ms.ems).toBeCloseTo(1.02, 2);
  });

  it("gives their published values for all six forms: .17 .29 .71 .44 .62 .91", () => {
    const expected: Record<IccForm, number> = { ICC1: 0.17, ICC2: 0.29, ICC3: 0.71, ICC1k: 0.44, ICC2k: 0.62, ICC3k: 0.91 };
    for (const form of ICC_FORMS) {
      const value = intraclassCorrelation(SHROUT_FLEISS, form);
      expect(Math.round(value * 100) / 100, form).toBe(expected[form]);
    }
  });

  it("is 1 for perfect agreement and does not depend on the order of targets or raters", () => {
    const perfect = [
      [1, 1],
      [3, 3],
      [5, 5],
    ];
    for (const form of ICC_FORMS) expect(intraclassCorrelation(perfect, form)).toBeCloseTo(1, 12);
    const shuffled = [SHROUT_FLEISS[3], SHROUT_FLEISS[0], SHROUT_FLEISS[5], SHROUT_FLEISS[1], SHROUT_FLEISS[4], SHROUT_FLEISS[2]].map(
      (row) => [row?.[2], row?.[0], row?.[3], row?.[1]] as number[],
    );
    for (const form of ICC_FORMS) expect(intraclassCorrelation(shuffled, form)).toBeCloseTo(intraclassCorrelation(SHROUT_FLEISS, form), 12);
  });

  it("separates a consistent rater offset (ICC3 = 1) from absolute agreement (ICC2 < 1)", () => {
    const offset = [
      [1, 3],
      [2, 4],
      [4, 6],
      [5, 7],
    ];
    expect(intraclassCorrelation(offset, "ICC3")).toBeCloseTo(1, 12);
    expect(intraclassCorrelation(offset, "ICC2")).toBeLessThan(0.75);
    expect(intraclassCorrelation(offset, "ICC1")).toBeLessThan(intraclassCorrelation(offset, "ICC2"));
  });

  it("returns NaN with a reason, never 0, when every score is the same", () => {
    const flat = [
      [4, 4],
      [4, 4],
      [4, 4],
    ];
    for (const form of ICC_FORMS) {
      const r = intraclassCorrelationDetail(flat, form);
      expect(r.value, form).toBeNaN();
      expect(r.reason).toMatch(/No variance/);
    }
  });

  it("returns NaN with a reason when targets do not differ and there is no residual (ICC3), a real value where the model allows", () => {
    // Every target has the same mean; the raters differ by a constant: BMS = 0, EMS = 0, JMS > 0.
    const noTargets = [
      [3, 5],
      [3, 5],
      [3, 5],
    ];
    const icc3 = intraclassCorrelationDetail(noTargets, "ICC3");
    expect(icc3.value).toBeNaN();
    expect(icc3.reason).toMatch(/targets do not differ/);
    expect(intraclassCorrelationDetail(noTargets, "ICC3k").value).toBeNaN();
    // ICC(2,1) charges the rater difference as disagreement: 0 is its true value here.
    expect(intraclassCorrelationDetail(noTargets, "ICC2")).toMatchObject({ value: 0, reason: null });
    // ICC(1,1) with no between-target variance is its minimum, −1/(k−1).
    expect(intraclassCorrelation(noTargets, "ICC1")).toBeCloseTo(-1, 12);
  });

  it("refuses tables that are not a data set, with a typed error", () => {
    expect(() => intraclassCorrelation([[1, 2]], "ICC2")).toThrow(ReliabilityInputError);
    expect(() => intraclassCorrelation([[1, 2]], "ICC2")).toThrow(/at least 2 targets; got 1/);
    expect(() => intraclassCorrelation([], "ICC1")).toThrow(/at least 2 targets/);
    expect(() => intraclassCorrelation([[1], [2]], "ICC1")).toThrow(/at least 2 raters; got 1/);
    expect(() =>
      intraclassCorrelation(
        [
          [1, 2],
          [1, 2, 3],
        ],
        "ICC1",
      ),
    ).toThrow(/Row 2 has 3 scores; every row needs 2/);
    expect(() =>
      intraclassCorrelation(
        [
          [1, 2],
          [Number.NaN, 2],
        ],
        "ICC1",
      ),
    ).toThrow(/target 2, rater 1/);
    expect(() =>
      intraclassCorrelation(
        [
          [1, 2],
          [3, null as unknown as number],
        ],
        "ICC3",
      ),
    ).toThrow(/Missing or non-numeric score at target 2, rater 2/);
  });
});

/**
 * Kundel & Polansky (2003), "Measurement of observer agreement", Radiology 228(2), 303–308, Table A1: two readers
 * grade 110 mammograms as absent, minimal, moderate or severe. Rows: reader 1; columns: reader 2. Their published
 * kappa is 0.37; R's vcdExtra documents the same table as `Mammograms` with Kappa(Mammograms) giving 0.3713
 * unweighted and 0.5964 weighted with equal-spacing (= linear) weights.
 */
const KUNDEL_POLANSKY = [
  [34, 10, 2, 0],
  [6, 8, 8, 2],
  [2, 5, 4, 12],
  [0, 1, 2, 14],
];

/** The table as two raters' paired ratings (categories 0–3). */
function pairsOf(table: number[][]): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  table.forEach((row, i) => {
    row.forEach((count, j) => {
      for (let t = 0; t < count; t++) {
        a.push(i);
        b.push(j);
      }
    });
  });
  return { a, b };
}

describe("weighted kappa", () => {
  const { a, b } = pairsOf(KUNDEL_POLANSKY);

  it("reproduces Kundel & Polansky's mammogram example: 0.3713 unweighted, 0.5964 linear", () => {
    expect(a).toHaveLength(110);
    expect(weightedKappa(a, b, "none")).toBeCloseTo(0.3713, 4);
    expect(weightedKappa(a, b, "linear")).toBeCloseTo(0.5964, 4);
  });

  it("with quadratic weights equals Lin's concordance correlation (population moments), as Fleiss & Cohen (1973) showed", () => {
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const ma = mean(a);
    const mb = mean(b);
    const va = mean(a.map((x) => (x - ma) ** 2));
    const vb = mean(b.map((x) => (x - mb) ** 2));
    const cov = mean(a.map((x, i) => (x - ma) * ((b[i] as number) - mb)));
    expect(weightedKappa(a, b, "quadratic")).toBeCloseTo((2 * cov) / (va + vb + (ma - mb) ** 2), 12);
  });

  it("is symmetric in the two raters, 1 for perfect agreement, and uses the positions of the categories given", () => {
    expect(weightedKappa(b, a, "linear")).toBeCloseTo(weightedKappa(a, b, "linear"), 12);
    expect(weightedKappa([0, 1, 2, 3], [0, 1, 2, 3], "quadratic")).toBe(1);
    // Ratings on a 0–6 scale that never use 4–6: the full scale changes linear weights' spacing (not the positions).
    const x = [0, 1, 2, 3, 1, 2];
    const y = [0, 2, 2, 3, 0, 3];
    expect(weightedKappa(x, y, "linear", [0, 1, 2, 3, 4, 5, 6])).toBeCloseTo(weightedKappa(x, y, "linear"), 12);
    // Categories that are not evenly spaced are weighted by position.
    expect(weightedKappa([1, 5, 9], [1, 9, 9], "linear", [1, 5, 9])).toBeCloseTo(weightedKappa([0, 1, 2], [0, 2, 2], "linear"), 12);
  });

  it("returns NaN with a reason, never 0 or 1, when both raters used one category only", () => {
    const r = weightedKappaDetail([3, 3, 3], [3, 3, 3], "quadratic", [0, 1, 2, 3, 4, 5, 6]);
    expect(r.value).toBeNaN();
    expect(r.reason).toMatch(/single category/);
    expect(weightedKappa([2, 2], [2, 2], "none")).toBeNaN();
  });

  it("refuses unpaired, empty, missing or out-of-category ratings with a typed error", () => {
    expect(() => weightedKappa([1, 2], [1], "linear")).toThrow(ReliabilityInputError);
    expect(() => weightedKappa([1, 2], [1], "linear")).toThrow(/2 and 1 ratings/);
    expect(() => weightedKappa([], [], "linear")).toThrow(/at least one pair/);
    expect(() => weightedKappa([1, Number.NaN], [1, 2], "none")).toThrow(/rating 2 of the first rater/);
    expect(() => weightedKappa([1, 7], [1, 2], "linear", [0, 1, 2, 3, 4, 5, 6])).toThrow(/Rating 2 \(7\) is not one of the categories/);
    expect(() => weightedKappa([1], [1], "linear", [1, 1, 2])).toThrow(/listed once/);
    expect(() => weightedKappa([1], [1], "cubic" as "linear")).toThrow(/Unknown weights/);
  });
});
