import { describe, expect, it } from "vitest";
import { checkItemBank } from "#app/content.server/item-bank";
import {
  BANK_LIMITS,
  bankShape,
  bankViolations,
  hasAbsoluteWord,
  keyLengthRank,
  longestPickCredit,
  longestSubsetCredit,
  multipleCredit,
  optionLength,
  poolProblems,
  quizStrategy,
  randomMultipleCredit,
} from "#app/domain/quiz/bank-shape";
import type { Question, Quiz } from "#app/domain/quiz/schema";

type Bank = Pick<Quiz, "id" | "questions" | "pools">[];
type Choice = Extract<Question, { type: "single" | "multiple" }>;

/** An option of `length` characters (words of "x"), optionally opening with a word such as "always". */
const text = (length: number, lead = "") => {
  const start = lead ? `${lead} ` : "";
  return (start + "xxxx ".repeat(length)).slice(0, Math.max(length, start.length)).trimEnd().padEnd(length, "x");
};

/** A choice question whose options have the given lengths; `keys` are the indexes of the correct ones. */
function choice(
  id: string,
  type: "single" | "multiple",
  lengths: number[],
  keys: number[],
  lead: (i: number, correct: boolean) => string = () => "",
): Choice {
  return {
    id,
    type,
    points: 1,
    prompt: "A prompt",
    options: lengths.map((n, i) => ({ id: "abcdefgh"[i] as string, text: text(n, lead(i, keys.includes(i))), correct: keys.includes(i) })),
  };
}
const tf = (id: string, answer: boolean, prompt = "A statement to judge"): Question => ({
  id,
  type: "true-false",
  points: 1,
  prompt,
  answer,
});
const quiz = (id: string, questions: Question[]): Bank[number] => ({ id, questions, pools: [] });

/**
 * Within every limit: keys at each length rank once, one true and one false
 * statement, three multiple-response items with 1, 2 and 3 correct options
 * whose longest options are distractors, and no absolute words.
 */
function balancedQuestions(): Question[] {
  return [
    choice("s1", "single", [40, 30, 20, 10], [0]),
    choice("s2", "single", [40, 30, 20, 10], [1]),
    choice("s3", "single", [40, 30, 20, 10], [2]),
    choice("s4", "single", [40, 30, 20, 10], [3]),
    tf("t1", true),
    tf("t2", false),
    choice("m1", "multiple", [50, 40, 30, 20, 10], [3]),
    choice("m2", "multiple", [50, 40, 30, 20, 10], [2, 3]),
    choice("m3", "multiple", [50, 40, 30, 20, 10], [2, 3, 4]),
  ];
}
const balanced = (): Bank => [quiz("balanced", balancedQuestions())];

/** The balanced bank with some of its questions replaced (by id). */
function withChanges(...replacements: Question[]): Bank {
  const byId = new Map(replacements.map((q) => [q.id, q]));
  return [
    quiz(
      "balanced",
      balancedQuestions().map((q) => byId.get(q.id) ?? q),
    ),
  ];
}

const violations = (bank: Bank) => bankViolations(bankShape(bank));

describe("item-bank statistics", () => {
  it("finds absolute words as whole words, in any case", () => {
    expect(hasAbsoluteWord("You must always ask")).toBe(true);
    expect(hasAbsoluteWord("Only then")).toBe(true);
    expect(hasAbsoluteWord("NOTHING changed")).toBe(true);
    expect(hasAbsoluteWord("down the hallways, allowing for nonetheless")).toBe(false);
  });

  it("measures options by their visible text", () => {
    expect(optionLength({ text: "*Very*  well" })).toBe("Very well".length);
  });

  it("ranks the key by how many options are longer, ties sharing a rank", () => {
    expect(keyLengthRank(choice("q", "single", [10, 30, 20], [1]))).toBe(1);
    expect(keyLengthRank(choice("q", "single", [10, 30, 20], [0]))).toBe(3);
    expect(keyLengthRank(choice("q", "single", [30, 30, 20], [1]))).toBe(1);
  });

  it("scores the content-free picks as the scorer would", () => {
    // Longest option picked; a tie with the key shares the credit.
    expect(longestPickCredit(choice("q", "single", [30, 20, 10], [0]))).toBe(1);
    expect(longestPickCredit(choice("q", "single", [30, 30, 10], [0]))).toBe(0.5);
    expect(longestPickCredit(choice("q", "single", [30, 20, 10], [1]))).toBe(0);
    // (right − wrong) ÷ correct, never below 0.
    const m = choice("q", "multiple", [50, 40, 30, 20], [0, 2]);
    expect(multipleCredit(m, new Set(["a", "c"]))).toBe(1);
    expect(multipleCredit(m, new Set(["a", "b"]))).toBe(0);
    expect(multipleCredit(m, new Set(["b", "d"]))).toBe(0);
    expect(longestSubsetCredit(m, 1)).toBe(0.5);
    expect(longestSubsetCredit(m, 3)).toBe(0.5);
  });

  it("takes random guessing on multiple response as a uniformly random subset", () => {
    // Two options, one correct: {}, {a}, {b}, {a, b} score 0, 1, 0, 0.
    expect(randomMultipleCredit(choice("q", "multiple", [10, 10], [0]))).toBe(0.25);
    // Three options, two correct: {a}, {b} and {a, b, c} score ½ each, {a, b} scores 1, the other four 0.
    expect(randomMultipleCredit(choice("q", "multiple", [10, 10, 10], [0, 1]))).toBe(2.5 / 8);
  });

  it("computes a quiz's strategy and random-guessing shares", () => {
    const s = quizStrategy(quiz("q", balancedQuestions()), 1);
    expect(s.points).toBe(9);
    // s1 (longest key) and t2 ("false") score; every multiple's longest option is a distractor.
    expect(s.strategy).toBeCloseTo(2 / 9);
    expect(s.random).toBeGreaterThan(s.strategy);
  });

  it("reports the shape of a bank", () => {
    const shape = bankShape(balanced());
    expect(shape.single).toEqual({ items: 4, keyLongest: 1, share: 0.25, keyRanks: { 1: 1, 2: 1, 3: 1, 4: 1 } });
    expect(shape.trueFalse).toEqual({ items: 2, keyedTrue: 1, share: 0.5 });
    expect(shape.multiple.correctCounts).toEqual({ 1: 1, 2: 1, 3: 1 });
    expect(shape.multiple.modal).toBe(1);
    expect(shape.absolute.gap).toBe(0);
    expect(bankViolations(shape)).toEqual([]);
  });
});

describe("item-bank limits: a bank past each limit fails", () => {
  it("the key is the longest option in more than a third of single-choice items", () => {
    const bank = withChanges(choice("s2", "single", [40, 30, 20, 10], [0]), choice("s3", "single", [40, 30, 20, 10], [0]));
    expect(violations(bank)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^single choice: the key is the longest option in 3 of 4/)]),
    );
  });

  it("one length rank below the longest holds the key too often (never-the-longest is a cue too)", () => {
    const bank = withChanges(
      choice("s1", "single", [40, 30, 20, 10], [1]),
      choice("s3", "single", [40, 30, 20, 10], [1]),
      choice("s4", "single", [40, 30, 20, 10], [1]),
    );
    const v = violations(bank);
    expect(v).toEqual(expect.arrayContaining([expect.stringMatching(/^single choice: the key has length rank 2 .* in 4 of 4/)]));
    expect(v.some((m) => m.includes("longest option in"))).toBe(false);
  });

  it("true/false keys are mostly false, or mostly true", () => {
    expect(violations(withChanges(tf("t1", false)))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^true\/false: 0 of 2 items keyed "true"/)]),
    );
    expect(violations(withChanges(tf("t2", true)))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^true\/false: 2 of 2 items keyed "true"/)]),
    );
  });

  it("most multiple-response items have the same number of correct options", () => {
    const bank = withChanges(
      choice("m1", "multiple", [50, 40, 30, 20, 10], [1, 3]),
      choice("m3", "multiple", [50, 40, 30, 20, 10], [2, 4]),
    );
    expect(violations(bank)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^multiple response: 100 % of items have exactly 2 correct options/)]),
    );
  });

  it("a multiple-response item has every option correct", () => {
    const bank = withChanges(choice("m3", "multiple", [50, 40, 30, 20, 10], [0, 1, 2, 3, 4]));
    expect(violations(bank)).toContain("multiple response: balanced/m3 should have from 1 to all but one of its options correct");
  });

  it("distractors use absolute words more often than keys", () => {
    const absoluteDistractors = (i: number, correct: boolean) => (correct ? "" : i % 2 ? "never" : "always");
    const bank = withChanges(
      choice("s1", "single", [40, 30, 20, 10], [0], absoluteDistractors),
      choice("s2", "single", [40, 30, 20, 10], [1], absoluteDistractors),
      tf("t2", false, "You must always reassure"),
    );
    expect(violations(bank)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^absolute words: in 0 % of keys and \d+ % of distractors/)]),
    );
  });

  it("a content-free strategy beats random guessing by more than ten points on one quiz", () => {
    // The bank as a whole stays in range; one quiz concentrates the cues.
    const cued = quiz("cued", [
      choice("c1", "single", [40, 30, 20, 10], [0]),
      choice("c2", "single", [40, 30, 20, 10], [0]),
      tf("c3", false),
      tf("c4", false),
    ]);
    const rest = quiz("rest", [
      ...balancedQuestions(),
      choice("s5", "single", [40, 30, 20, 10], [1]),
      choice("s6", "single", [40, 30, 20, 10], [2]),
      choice("s7", "single", [40, 30, 20, 10], [3]),
      choice("s8", "single", [40, 30, 20, 10], [2]),
      tf("t3", true),
      tf("t4", true),
    ]);
    const v = violations([cued, rest]);
    expect(v).toEqual([expect.stringMatching(/^cued: a content-free strategy scores 100 % .* random guessing 38 %/)]);
  });

  it("a pool's questions are not parallel forms", () => {
    const pool = (questions: Question[]) => ({ id: "p", draw: 1, questions });
    // Parallel: same type, points and options, keys not the longest.
    expect(poolProblems(pool([choice("p1", "single", [40, 30, 20, 10], [1]), choice("p2", "single", [40, 30, 20, 10], [3])]))).toEqual([]);
    expect(poolProblems(pool([choice("p1", "single", [40, 30, 20, 10], [1]), choice("p2", "single", [40, 30, 20], [1])]))).toEqual([
      "p2 differs from p1 in options (3 vs 4)",
    ]);
    expect(poolProblems(pool([tf("p1", true), tf("p2", false)]))).toEqual(["p2 differs from p1 in answer (false vs true)"]);
    expect(
      poolProblems(pool([choice("p1", "multiple", [40, 30, 20, 10], [1, 2]), choice("p2", "multiple", [40, 30, 20, 10], [1])])),
    ).toEqual(["p2 differs from p1 in correct (1 vs 2)"]);
    expect(poolProblems(pool([tf("p1", true), choice("p2", "single", [40, 30, 20, 10], [0])]))).toEqual([
      "p2 differs from p1 in type (single vs true-false)",
      "p2: the key is the longest option",
    ]);
    const bank: Bank = [{ ...quiz("balanced", balancedQuestions()), pools: [pool([tf("p1", true), tf("p2", false)])] }];
    expect(violations(bank)).toContain("pool: balanced/p: p2 differs from p1 in answer (false vs true)");
  });

  it("the limits are the ones the issue set", () => {
    expect(BANK_LIMITS).toMatchObject({
      singleKeyLongestMax: 1 / 3,
      trueShareMin: 0.4,
      trueShareMax: 0.6,
      absoluteGapMax: 0.1,
      strategyMarginMax: 0.1,
    });
  });
});

describe("the shipped item bank", () => {
  const { shape, violations: shipped } = checkItemBank();

  it("is within every shape limit", () => {
    expect(shipped).toEqual([]);
    expect(shape.single.share).toBeLessThanOrEqual(1 / 3);
    expect(shape.trueFalse.share).toBeGreaterThanOrEqual(0.4);
    expect(shape.trueFalse.share).toBeLessThanOrEqual(0.6);
    expect(Object.keys(shape.multiple.correctCounts).length).toBeGreaterThan(2);
    expect(shape.absolute.gap).toBeLessThanOrEqual(0.1);
    // The role-play readiness quiz draws one of two parallel forms from each pool.
    expect(shape.pools).toEqual([]);
  });

  it.each(shape.quizzes.map((q) => [q.quiz, q] as const))(
    "%s: longest option, always false and the usual number of longest options score no more than random guessing + 10 points",
    (_id, q) => {
      expect(q.points).toBeGreaterThan(0);
      expect(q.strategy).toBeLessThanOrEqual(q.random + 0.1);
    },
  );
});
