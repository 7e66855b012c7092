import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseFramework } from "#app/domain/framework";
import { intraclassCorrelation, weightedKappa } from "#app/domain/reliability";
import { groupRatings, iccBand, kappaBand, pairedScores, periodOf, reliabilityReport, type ScoreRow } from "#app/domain/reliability-report";

const FW = parseFramework(parseYaml(readFileSync("test/fixtures/content/frameworks/dit-competence-v1.yaml", "utf8")));
const EA = "engagement-alliance";
const FI = "formulating-ipaf";

type Given = {
  rec: string;
  a: [string, number, number];
  b: [string, number, number];
  final: [number, number];
  at: string;
  moderated?: boolean;
};

/** Rows for initial-phase recordings (two items): primary rater a, second rater b, and the final rating. */
function rowsOf(given: Given[]): ScoreRow[] {
  const rows: ScoreRow[] = [];
  for (const g of given) {
    const at = new Date(g.at);
    for (const [role, [rater, ea, fi]] of [
      ["PRIMARY", g.a],
      ["SECOND", g.b],
    ] as const) {
      for (const [itemId, score] of [
        [EA, ea],
        [FI, fi],
      ] as const) {
        rows.push({
          recordingId: g.rec,
          ratingId: `${g.rec}-${role}`,
          kind: "PROVISIONAL",
          role,
          raterId: rater,
          itemId,
          score,
          submittedAt: at,
        });
      }
    }
    for (const [itemId, score] of [
      [EA, g.final[0]],
      [FI, g.final[1]],
    ] as const) {
      rows.push({
        recordingId: g.rec,
        ratingId: `${g.rec}-final`,
        kind: g.moderated ? "MODERATED" : "DERIVED",
        role: null,
        raterId: g.moderated ? "mod" : null,
        itemId,
        score,
        submittedAt: at,
      });
    }
  }
  return rows;
}

const GIVEN: Given[] = [
  { rec: "r1", a: ["ann", 4, 3], b: ["bob", 3, 3], final: [3, 3], at: "2026-01-10T10:00:00Z" },
  { rec: "r2", a: ["ann", 2, 2], b: ["bob", 2, 1], final: [2, 1], at: "2026-01-20T10:00:00Z" },
  { rec: "r3", a: ["bob", 5, 5], b: ["cat", 4, 5], final: [4, 5], at: "2026-02-03T10:00:00Z" },
  { rec: "r4", a: ["cat", 1, 4], b: ["ann", 4, 1], final: [2, 2], at: "2026-02-14T10:00:00Z", moderated: true },
  { rec: "r5", a: ["ann", 6, 5], b: ["cat", 5, 5], final: [5, 5], at: "2026-03-01T10:00:00Z" },
];

describe("reliability report", () => {
  const report = reliabilityReport(FW, rowsOf(GIVEN));

  it("counts what the figures rest on", () => {
    expect(report.counts).toEqual({ recordings: 5, doubleRated: 5, finals: 5, moderated: 1, raters: 3, provisionalRatings: 10 });
  });

  it("gives each item the ICC(1,1) and ICC(2,1) of its primary × second table, and agreement shares", () => {
    const ea = GIVEN.map((g) => [g.a[1], g.b[1]]);
    const fi = GIVEN.map((g) => [g.a[2], g.b[2]]);
    const byId = Object.fromEntries(report.items.map((i) => [i.itemId, i]));
    expect(byId[EA]?.n).toBe(5);
    expect(byId[EA]?.icc.value).toBeCloseTo(intraclassCorrelation(ea, "ICC1"), 12);
    expect(byId[EA]?.iccByRole.value).toBeCloseTo(intraclassCorrelation(ea, "ICC2"), 12);
    expect(byId[FI]?.icc.value).toBeCloseTo(intraclassCorrelation(fi, "ICC1"), 12);
    // EA differences: 1, 0, 1, 3, 1 → exact 1/5, within 1 point 4/5, mean |d| 6/5.
    expect(byId[EA]).toMatchObject({ exact: 0.2, withinTolerance: 0.8, meanAbsDifference: 1.2 });
    // Items that never apply to these recordings have no figure, and say why.
    expect(byId["keeping-to-ipaf"]).toMatchObject({ n: 0, icc: { reason: expect.stringMatching(/at least 2 double-rated/) } });
    expect(byId["keeping-to-ipaf"]?.icc.value).toBeNaN();
    const means = GIVEN.map((g) => [(g.a[1] + g.a[2]) / 2, (g.b[1] + g.b[2]) / 2]);
    expect(report.overall.icc.value).toBeCloseTo(intraclassCorrelation(means, "ICC1"), 12);
  });

  it("gives each rater pair a quadratic-weighted kappa over all the items they both scored", () => {
    const annBob = report.pairs.find((p) => p.raterA === "ann" && p.raterB === "bob");
    // r1 and r2, both items; the pair's orientation is fixed (ann, bob) whichever role each had.
    expect(annBob).toMatchObject({ recordings: 2, pairs: 4 });
    expect(annBob?.kappa.value).toBeCloseTo(weightedKappa([4, 3, 2, 2], [3, 3, 2, 1], "quadratic", [0, 1, 2, 3, 4, 5, 6]), 12);
    const annCat = report.pairs.find((p) => p.raterA === "ann" && p.raterB === "cat");
    // r4 (cat primary, ann second) and r5 (ann primary): ann's scores always in the first column.
    expect(annCat?.kappa.value).toBeCloseTo(weightedKappa([4, 1, 6, 5], [1, 4, 5, 5], "quadratic", [0, 1, 2, 3, 4, 5, 6]), 12);
    expect(report.pairs.map((p) => `${p.raterA}+${p.raterB}`).sort()).toEqual(["ann+bob", "ann+cat", "bob+cat"]);
  });

  it("measures each rater's severity against the final rating, and its drift by month", () => {
    const ann = report.raters.find((r) => r.raterId === "ann");
    // ann − final: r1 (+1, 0), r2 (0, +1), r4 (+2, −1), r5 (+1, 0) → sum 4 over 8 item scores.
    expect(ann).toMatchObject({ ratings: 4, itemScores: 8, severity: 0.5, meanAbsDifference: 0.75 });
    const cat = report.raters.find((r) => r.raterId === "cat");
    // cat: r3 (0, 0), r4 (−1, +2), r5 (0, 0) → 1/6.
    expect(cat?.severity).toBeCloseTo(1 / 6, 12);
    expect(report.periods).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(report.drift.find((d) => d.raterId === "ann")?.points).toEqual([
      { period: "2026-01", severity: 0.5, itemScores: 4 },
      { period: "2026-02", severity: 0.5, itemScores: 2 },
      { period: "2026-03", severity: 0.5, itemScores: 2 },
    ]);
  });

  it("leaves out recordings with one rating from the agreement figures, but uses them for severity", () => {
    const single = rowsOf(GIVEN).filter((r) => !(r.recordingId === "r1" && r.role === "SECOND"));
    const r = reliabilityReport(FW, single);
    expect(r.counts).toMatchObject({ recordings: 5, doubleRated: 4 });
    expect(r.items.find((i) => i.itemId === EA)?.n).toBe(4);
    expect(r.raters.find((x) => x.raterId === "ann")?.ratings).toBe(4);
    expect(r.raters.find((x) => x.raterId === "bob")?.ratings).toBe(2);
  });

  it("reports NaN with a reason, not a number, when there is too little or no variance", () => {
    const empty = reliabilityReport(FW, []);
    expect(empty.counts.doubleRated).toBe(0);
    expect(empty.items.every((i) => Number.isNaN(i.icc.value) && i.icc.reason !== null)).toBe(true);
    expect(empty.pairs).toEqual([]);
    const flat = reliabilityReport(
      FW,
      rowsOf([
        { rec: "x1", a: ["ann", 3, 3], b: ["bob", 3, 3], final: [3, 3], at: "2026-01-01T00:00:00Z" },
        { rec: "x2", a: ["ann", 3, 3], b: ["bob", 3, 3], final: [3, 3], at: "2026-01-02T00:00:00Z" },
      ]),
    );
    expect(flat.items.find((i) => i.itemId === EA)?.icc).toMatchObject({ reason: expect.stringMatching(/No variance/) });
    expect(flat.pairs[0]?.kappa.value).toBeNaN();
    expect(flat.pairs[0]?.kappa.reason).toMatch(/single category/);
  });

  it("lists the paired scores behind the figures for the CSV, in framework item order", () => {
    const lines = [...pairedScores(FW, groupRatings(rowsOf(GIVEN)))];
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatchObject({
      recordingId: "r1",
      itemId: EA,
      primaryRaterId: "ann",
      primaryScore: 4,
      secondRaterId: "bob",
      secondScore: 3,
      finalScore: 3,
      finalKind: "DERIVED",
    });
    expect(lines.find((l) => l.recordingId === "r4")?.finalKind).toBe("MODERATED");
  });

  it("names the bands and the month", () => {
    expect([0.3, 0.5, 0.8, 0.95, Number.NaN].map(iccBand)).toEqual(["poor", "moderate", "good", "excellent", "undefined"]);
    expect([-0.1, 0.1, 0.3, 0.5, 0.7, 0.9].map(kappaBand)).toEqual([
      "no better than chance",
      "slight",
      "fair",
      "moderate",
      "substantial",
      "almost perfect",
    ]);
    expect(periodOf(new Date("2026-12-31T23:59:59Z"))).toBe("2026-12");
  });
});
