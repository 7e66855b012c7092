import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type Framework, parseFramework } from "#app/domain/framework";
import {
  applicableItems,
  calibrationAttemptResult,
  calibrationStatus,
  compareRatings,
  deriveFinal,
  RatingRulesError,
  ratingSummary,
  secondRaterRequired,
  validateScores,
} from "#app/domain/rating-rules";

const raw = (name: string) => parseYaml(readFileSync(`test/fixtures/content/frameworks/${name}`, "utf8")) as Record<string, unknown>;
/** Fixture DIT: engagement-alliance (all phases), formulating-ipaf (initial), keeping-to-ipaf (middle, ending), ending-goodbye-letter (ending); 0–6; competent mean ≥ 3, no item < 2; tolerance 1; mean rounded down. */
const FW = parseFramework(raw("dit-competence-v1.yaml"));
/** Same framework, other rules. */
function withRules(rules: Partial<Record<keyof Framework["rules"], unknown>>): Framework {
  const r = raw("dit-competence-v1.yaml");
  return parseFramework({ ...r, rules: { ...(r.rules as object), ...rules } });
}

describe("applicable items", () => {
  it("follows each item's phases; a role-play (null) is rated on the initial phase's items", () => {
    expect(applicableItems(FW, "initial").map((i) => i.id)).toEqual(["engagement-alliance", "formulating-ipaf"]);
    expect(applicableItems(FW, "middle").map((i) => i.id)).toEqual(["engagement-alliance", "keeping-to-ipaf"]);
    expect(applicableItems(FW, "ending").map((i) => i.id)).toEqual(["engagement-alliance", "keeping-to-ipaf", "ending-goodbye-letter"]);
    expect(applicableItems(FW, null)).toEqual(applicableItems(FW, "initial"));
  });
});

describe("validateScores", () => {
  it("accepts a complete rating of the applicable items", () => {
    expect(validateScores(FW, "middle", { "engagement-alliance": 0, "keeping-to-ipaf": 6 })).toEqual({});
    // An explicit null for a non-applicable item is fine (it is "not applicable", not a score).
    expect(validateScores(FW, "middle", { "engagement-alliance": 3, "keeping-to-ipaf": 3, "formulating-ipaf": null })).toEqual({});
  });

  it("names every problem per item: unscored, out of range, not whole, not applicable, unknown", () => {
    expect(
      validateScores(FW, "ending", {
        "engagement-alliance": 7,
        "keeping-to-ipaf": 2.5,
        "formulating-ipaf": 3,
        "no-such-item": 1,
      }),
    ).toEqual({
      "engagement-alliance": "A score is a whole number from 0 to 6.",
      "keeping-to-ipaf": "A score is a whole number from 0 to 6.",
      "ending-goodbye-letter": "Score this item.",
      "formulating-ipaf": "This item does not apply to the ending phase: leave it unscored.",
      "no-such-item": '"no-such-item" is not an item of Fixture DIT framework.',
    });
    expect(validateScores(FW, null, { "engagement-alliance": -1, "formulating-ipaf": Number.NaN, "keeping-to-ipaf": 1 })).toEqual({
      "engagement-alliance": "A score is a whole number from 0 to 6.",
      "formulating-ipaf": "A score is a whole number from 0 to 6.",
      "keeping-to-ipaf": "This item does not apply to a role-play: leave it unscored.",
    });
  });

  it("lets a draft leave applicable items unscored, but still checks what is scored", () => {
    expect(validateScores(FW, "initial", {}, { draft: true })).toEqual({});
    expect(validateScores(FW, "initial", { "formulating-ipaf": 9 }, { draft: true })).toEqual({
      "formulating-ipaf": "A score is a whole number from 0 to 6.",
    });
    expect(validateScores(FW, "initial", {})).toEqual({
      "engagement-alliance": "Score this item.",
      "formulating-ipaf": "Score this item.",
    });
  });
});

describe("ratingSummary", () => {
  it("is competent at a mean of exactly 3 with no item below 2", () => {
    expect(ratingSummary(FW, "ending", { "engagement-alliance": 2, "keeping-to-ipaf": 3, "ending-goodbye-letter": 4 })).toEqual({
      mean: 3,
      competent: true,
      lowItems: [],
      complete: true,
    });
  });

  it("is not competent just below the mean, or with one item below the floor however high the mean", () => {
    expect(ratingSummary(FW, "ending", { "engagement-alliance": 2, "keeping-to-ipaf": 3, "ending-goodbye-letter": 3 })).toMatchObject({
      competent: false,
      lowItems: [],
    });
    expect(ratingSummary(FW, "ending", { "engagement-alliance": 6, "keeping-to-ipaf": 6, "ending-goodbye-letter": 1 })).toEqual({
      mean: 13 / 3,
      competent: false,
      lowItems: ["ending-goodbye-letter"],
      complete: true,
    });
  });

  it("ignores items that do not apply, and is never competent while incomplete", () => {
    expect(ratingSummary(FW, "initial", { "engagement-alliance": 4, "formulating-ipaf": 4, "ending-goodbye-letter": 0 })).toMatchObject({
      mean: 4,
      competent: true,
    });
    expect(ratingSummary(FW, "initial", { "engagement-alliance": 6 })).toEqual({
      mean: 6,
      competent: false,
      lowItems: [],
      complete: false,
    });
    const empty = ratingSummary(FW, "initial", {});
    expect(empty.mean).toBeNaN();
    expect(empty.competent).toBe(false);
  });

  it("has no floor when noItemBelow is null", () => {
    const fw = withRules({ competent: { meanAtLeast: 3, noItemBelow: null } });
    expect(ratingSummary(fw, "initial", { "engagement-alliance": 0, "formulating-ipaf": 6 })).toEqual({
      mean: 3,
      competent: true,
      lowItems: [],
      complete: true,
    });
  });
});

describe("compareRatings and deriveFinal", () => {
  const middle = (e: number, k: number) => ({ "engagement-alliance": e, "keeping-to-ipaf": k });

  it("agrees within the tolerance and derives the mean rounded down", () => {
    expect(compareRatings(FW, "middle", middle(4, 3), middle(5, 4))).toEqual({ agree: true, reasons: [] });
    expect(deriveFinal(FW, "middle", middle(4, 3), middle(5, 4))).toEqual({ "engagement-alliance": 4, "keeping-to-ipaf": 3 });
    expect(deriveFinal(FW, "middle", middle(4, 4), middle(4, 4))).toEqual(middle(4, 4));
  });

  it("disagrees on every item beyond the tolerance (one point is the edge)", () => {
    expect(compareRatings(FW, "middle", middle(3, 3), middle(4, 4)).agree).toBe(true);
    const c = compareRatings(FW, "middle", middle(3, 6), middle(5, 4));
    expect(c.agree).toBe(false);
    expect(c.reasons).toEqual([
      { itemId: "engagement-alliance", kind: "item-tolerance", detail: "Engagement and alliance: 3 and 5 differ by more than 1." },
      { itemId: "keeping-to-ipaf", kind: "item-tolerance", detail: "Keeping to the IPAF: 6 and 4 differ by more than 1." },
    ]);
    expect(() => deriveFinal(FW, "middle", middle(3, 6), middle(5, 4))).toThrow(RatingRulesError);
  });

  it("disagrees when one rating is competent and the other not, even within the tolerance", () => {
    const c = compareRatings(FW, "middle", middle(3, 3), middle(2, 3));
    expect(c).toEqual({
      agree: false,
      reasons: [{ kind: "competence", detail: "One rating is competent, the other not yet competent." }],
    });
  });

  it("sends two competent ratings to moderation when rounding down would make the final not competent", () => {
    // 3+4 → 3, 4+3 → 3: final mean 3, competent — agrees.
    expect(compareRatings(FW, "middle", middle(3, 4), middle(4, 3)).agree).toBe(true);
    // A: 4, 2 (mean 3, competent); B: 3, 3 (competent). Final: 3, 2 → mean 2.5, not competent.
    const c = compareRatings(FW, "middle", middle(4, 2), middle(3, 3));
    expect(c.agree).toBe(false);
    expect(c.reasons).toEqual([
      { kind: "competence", detail: "Both ratings are competent, but the final rating derived from them would be not yet competent." },
    ]);
  });

  it("derives with the other final rules too", () => {
    const halfUp = withRules({ final: { itemScore: "mean-round-half-up" } });
    expect(deriveFinal(halfUp, "middle", middle(4, 3), middle(5, 4))).toEqual({ "engagement-alliance": 5, "keeping-to-ipaf": 4 });
    const lower = withRules({ final: { itemScore: "lower" } });
    expect(deriveFinal(lower, "middle", middle(5, 3), middle(4, 4))).toEqual({ "engagement-alliance": 4, "keeping-to-ipaf": 3 });
  });

  it("uses a tolerance of 0 when the framework says so", () => {
    const strict = withRules({ agreement: { itemTolerance: 0 } });
    expect(compareRatings(strict, "middle", middle(4, 4), middle(4, 4)).agree).toBe(true);
    expect(compareRatings(strict, "middle", middle(4, 4), middle(4, 5)).reasons.map((r) => r.itemId)).toEqual(["keeping-to-ipaf"]);
  });

  it("refuses to compare incomplete or invalid ratings", () => {
    expect(() => compareRatings(FW, "middle", { "engagement-alliance": 3 }, middle(3, 3))).toThrow(/first rating is not complete/);
    expect(() => compareRatings(FW, "middle", middle(3, 3), middle(3, 9))).toThrow(/second rating is not complete/);
  });
});

describe("calibration", () => {
  const ending = (e: number, k: number, g: number) => ({ "engagement-alliance": e, "keeping-to-ipaf": k, "ending-goodbye-letter": g });

  it("passes an attempt with enough items within tolerance and the same competence judgement", () => {
    expect(calibrationAttemptResult(FW, "ending", ending(3, 4, 5), ending(4, 4, 4))).toEqual({
      withinTolerance: true,
      itemAgreement: 1,
      competenceAgrees: true,
    });
  });

  it("fails an attempt with too few items within tolerance (2 of 3 < 0.8)", () => {
    expect(calibrationAttemptResult(FW, "ending", ending(3, 4, 6), ending(4, 4, 3))).toEqual({
      withinTolerance: false,
      itemAgreement: 2 / 3,
      competenceAgrees: true,
    });
  });

  it("meets the agreement threshold exactly (4 of 5 = 0.8) despite floating point", () => {
    const five = withRules({
      calibration: { itemTolerance: 1, minItemAgreement: 0.8, mustAgreeOnCompetence: true, recordingsRequired: 2 },
    });
    // Only two items apply in the middle phase: 1 of 2 = 0.5 < 0.8.
    expect(
      calibrationAttemptResult(
        five,
        "middle",
        { "engagement-alliance": 3, "keeping-to-ipaf": 3 },
        { "engagement-alliance": 3, "keeping-to-ipaf": 5 },
      ),
    ).toMatchObject({
      withinTolerance: false,
      itemAgreement: 0.5,
    });
    const half = withRules({
      calibration: { itemTolerance: 1, minItemAgreement: 0.5, mustAgreeOnCompetence: false, recordingsRequired: 1 },
    });
    expect(
      calibrationAttemptResult(
        half,
        "middle",
        { "engagement-alliance": 3, "keeping-to-ipaf": 3 },
        { "engagement-alliance": 3, "keeping-to-ipaf": 5 },
      ),
    ).toMatchObject({
      withinTolerance: true,
      itemAgreement: 0.5,
    });
  });

  it("fails on a different competence judgement when the rules ask for it, and not otherwise", () => {
    // Every item within 1 point, but the attempt is not competent (mean 2.67) and the reference is (mean 3).
    const attempt = ending(2, 3, 3);
    const reference = ending(3, 3, 3);
    expect(calibrationAttemptResult(FW, "ending", attempt, reference)).toEqual({
      withinTolerance: false,
      itemAgreement: 1,
      competenceAgrees: false,
    });
    const lenient = withRules({
      calibration: { itemTolerance: 1, minItemAgreement: 0.8, mustAgreeOnCompetence: false, recordingsRequired: 2 },
    });
    expect(calibrationAttemptResult(lenient, "ending", attempt, reference)).toEqual({
      withinTolerance: true,
      itemAgreement: 1,
      competenceAgrees: false,
    });
  });

  it("needs complete ratings on both sides", () => {
    expect(() => calibrationAttemptResult(FW, "ending", ending(3, 3, 3), { "engagement-alliance": 3 })).toThrow(RatingRulesError);
  });

  it("is calibrated after the required number of passed recordings, each counted once", () => {
    const pass = { withinTolerance: true };
    const fail = { withinTolerance: false };
    expect(calibrationStatus(FW, [])).toEqual({ calibrated: false, passed: 0, required: 2 });
    expect(calibrationStatus(FW, [pass, fail])).toEqual({ calibrated: false, passed: 1, required: 2 });
    expect(calibrationStatus(FW, [pass, fail, pass])).toEqual({ calibrated: true, passed: 2, required: 2 });
    expect(
      calibrationStatus(FW, [
        { ...pass, recordingId: "r1" },
        { ...pass, recordingId: "r1" },
      ]),
    ).toEqual({ calibrated: false, passed: 1, required: 2 });
    expect(
      calibrationStatus(FW, [
        { ...pass, recordingId: "r1" },
        { ...fail, recordingId: "r2" },
        { ...pass, recordingId: "r2" },
      ]),
    ).toEqual({ calibrated: true, passed: 2, required: 2 });
  });
});

describe("secondRaterRequired", () => {
  it("is always true for 'all', and a random share for 'percent' (0 % never, 100 % always)", () => {
    expect(secondRaterRequired(FW, () => 0.999)).toBe(true);
    const twenty = withRules({ secondRater: { summative: "percent", percent: 20 } });
    expect([0, 0.1, 0.1999, 0.2, 0.5, 0.99].map((x) => secondRaterRequired(twenty, () => x))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    const none = withRules({ secondRater: { summative: "percent", percent: 0 } });
    expect(secondRaterRequired(none, () => 0)).toBe(false);
    const every = withRules({ secondRater: { summative: "percent", percent: 100 } });
    expect(secondRaterRequired(every, () => 0.9999)).toBe(true);
  });
});
