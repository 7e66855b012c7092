import { allQuestions, type Question, type Quiz } from "#app/domain/quiz/schema";

/**
 * The shape of an item bank: whether an answer key can be guessed from the form
 * of the options rather than from knowing the content (ADR 0017). Pure: the
 * quizzes are passed in.
 *
 * - single choice: how often the key is the longest option (ties count as longest), and
 *   how keys spread over length ranks (so "never the longest", "the second longest" are no cue either);
 * - true/false: the share of statements keyed "true";
 * - multiple response: how many options are correct, item by item;
 * - absolute words ("always", "never", "only", …): how often keys and distractors use them;
 * - content-free strategies: what "pick the longest", "always false" and "pick the
 *   usual number of longest options" would score on each quiz, against random guessing;
 * - pools: the questions of a pool are parallel forms (same type, points, options, number
 *   correct or answer, and no single-choice key that is the longest option), so every
 *   paper drawn from them has the same blueprint.
 */

export const BANK_LIMITS = {
  /** At most this share of single-choice items may have the longest option as key. */
  singleKeyLongestMax: 1 / 3,
  /** No length rank (longest, second longest, …, shortest) may hold the key in more than this share of single-choice items. */
  singleKeyRankMax: 1 / 3,
  /** The share of true/false items keyed "true" must lie in this range. */
  trueShareMin: 0.4,
  trueShareMax: 0.6,
  /** No single number of correct options may cover more than this share of multiple-response items. */
  multipleModalShareMax: 0.5,
  /** Keys and distractors may differ by at most this many percentage points in their use of absolute words. */
  absoluteGapMax: 0.1,
  /** A content-free strategy may beat random guessing by at most this much (share of points) on any quiz. */
  strategyMarginMax: 0.1,
} as const;

export type BankLimits = { [K in keyof typeof BANK_LIMITS]: number };

export const ABSOLUTE_WORDS = [
  "always",
  "never",
  "only",
  "must",
  "all",
  "none",
  "every",
  "everyone",
  "everything",
  "nothing",
  "nobody",
  "entirely",
  "completely",
  "solely",
  "cannot",
] as const;

const ABSOLUTE = new RegExp(`\\b(${ABSOLUTE_WORDS.join("|")})\\b`, "i");

/** Whether a text uses one of the absolute words, as a whole word, in any case. */
export function hasAbsoluteWord(text: string): boolean {
  return ABSOLUTE.test(text);
}

type Choice = Extract<Question, { type: "single" | "multiple" }>;
type Option = Choice["options"][number];
type TrueFalse = Extract<Question, { type: "true-false" }>;

/** The length an option is judged by: its visible characters, Markdown marks and spacing aside. */
export function optionLength(o: Pick<Option, "text">): number {
  return o.text.replace(/[*_`]/g, "").replace(/\s+/g, " ").trim().length;
}

/** Options from longest to shortest; equal lengths keep their order in the file. */
function byLength(options: Option[]): Option[] {
  return options
    .map((o, i) => ({ o, i }))
    .sort((a, b) => optionLength(b.o) - optionLength(a.o) || a.i - b.i)
    .map((x) => x.o);
}

export function keyIsLongest(q: Choice): boolean {
  const key = q.options.find((o) => o.correct);
  if (!key) return false;
  const longest = Math.max(...q.options.map(optionLength));
  return optionLength(key) === longest;
}

/** 1 for the longest option, 2 for the next, …: one more than the number of options strictly longer than the key. */
export function keyLengthRank(q: Choice): number {
  const key = q.options.find((o) => o.correct);
  if (!key) return 0;
  return 1 + q.options.filter((o) => optionLength(o) > optionLength(key)).length;
}

export const correctCount = (q: Choice) => q.options.filter((o) => o.correct).length;

/** Multiple-response credit, as the scorer gives it: (right − wrong) ÷ correct options, never below 0. */
export function multipleCredit(q: Choice, chosen: ReadonlySet<string>): number {
  const correct = q.options.filter((o) => o.correct);
  if (correct.length === 0) return 0;
  const right = correct.filter((o) => chosen.has(o.id)).length;
  const wrong = q.options.filter((o) => !o.correct && chosen.has(o.id)).length;
  return Math.max(0, (right - wrong) / correct.length);
}

/** The expected credit of choosing a subset of the options uniformly at random (every subset equally likely). */
export function randomMultipleCredit(q: Choice): number {
  const n = q.options.length;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    total += multipleCredit(q, new Set(q.options.filter((_, i) => mask & (1 << i)).map((o) => o.id)));
  }
  return total / (1 << n);
}

/** Share of single-choice credit from picking the longest option (ties broken at random, so 1/ties if the key is among them). */
export function longestPickCredit(q: Choice): number {
  const longest = Math.max(...q.options.map(optionLength));
  const tied = q.options.filter((o) => optionLength(o) === longest);
  return tied.some((o) => o.correct) ? 1 / tied.length : 0;
}

/** Credit from ticking the `count` longest options. */
export function longestSubsetCredit(q: Choice, count: number): number {
  return multipleCredit(
    q,
    new Set(
      byLength(q.options)
        .slice(0, count)
        .map((o) => o.id),
    ),
  );
}

export type QuizStrategy = {
  quiz: string;
  /** Points on single, true/false and multiple-response items (each weighted by its points). */
  points: number;
  /** Expected share of those points from random guessing. */
  random: number;
  /** Share of those points from the content-free strategy. */
  strategy: number;
};

export type BankShape = {
  single: {
    items: number;
    keyLongest: number;
    share: number;
    /** length rank of the key (1 = longest) → how many items */
    keyRanks: Record<number, number>;
  };
  trueFalse: { items: number; keyedTrue: number; share: number };
  multiple: {
    items: number;
    /** number of correct options → how many items */
    correctCounts: Record<number, number>;
    /** the most common number of correct options, and the share of items that have it */
    modal: number | null;
    modalShare: number;
    /** items where every option is correct, or none is */
    outOfRange: string[];
  };
  absolute: {
    keys: number;
    keysWith: number;
    keyShare: number;
    distractors: number;
    distractorsWith: number;
    distractorShare: number;
    gap: number;
  };
  quizzes: QuizStrategy[];
  /** Pools whose questions are not parallel forms, in words. */
  pools: string[];
};

const share = (n: number, d: number) => (d === 0 ? 0 : n / d);

function tally(values: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function modalCount(counts: Record<number, number>): number | null {
  let best: number | null = null;
  for (const [k, v] of Object.entries(counts)) {
    if (best === null || v > (counts[best] ?? 0) || (v === counts[best] && Number(k) < best)) best = Number(k);
  }
  return best;
}

/** The statistics of a whole bank. */
export function bankShape(quizzes: readonly Pick<Quiz, "id" | "questions" | "pools">[]): BankShape {
  const items = quizzes.flatMap((quiz) => allQuestions(quiz).map((q) => ({ quiz: quiz.id, q })));
  const singles = items.flatMap(({ q }) => (q.type === "single" ? [q] : []));
  const tfs = items.flatMap(({ q }) => (q.type === "true-false" ? [q] : []));
  const multiples = items.flatMap(({ quiz, q }) => (q.type === "multiple" ? [{ quiz, q }] : []));

  const correctCounts = tally(multiples.map(({ q }) => correctCount(q)));
  const modal = modalCount(correctCounts);

  let keys = 0;
  let keysWith = 0;
  let distractors = 0;
  let distractorsWith = 0;
  const count = (isKey: boolean, text: string) => {
    const abs = hasAbsoluteWord(text) ? 1 : 0;
    if (isKey) {
      keys++;
      keysWith += abs;
    } else {
      distractors++;
      distractorsWith += abs;
    }
  };
  for (const { q } of items) {
    if (q.type === "single" || q.type === "multiple") for (const o of q.options) count(o.correct, o.text);
    // A true statement is the key; a false one is a distractor dressed as a statement.
    if (q.type === "true-false") count(q.answer, q.prompt);
  }

  const keyShare = share(keysWith, keys);
  const distractorShare = share(distractorsWith, distractors);
  return {
    single: {
      items: singles.length,
      keyLongest: singles.filter(keyIsLongest).length,
      share: share(singles.filter(keyIsLongest).length, singles.length),
      keyRanks: tally(singles.map(keyLengthRank)),
    },
    trueFalse: {
      items: tfs.length,
      keyedTrue: tfs.filter((q) => q.answer).length,
      share: share(tfs.filter((q) => q.answer).length, tfs.length),
    },
    multiple: {
      items: multiples.length,
      correctCounts,
      modal,
      modalShare: modal === null ? 0 : share(correctCounts[modal] ?? 0, multiples.length),
      outOfRange: multiples
        .filter(({ q }) => correctCount(q) < 1 || correctCount(q) >= q.options.length)
        .map(({ quiz, q }) => `${quiz}/${q.id}`),
    },
    absolute: { keys, keysWith, keyShare, distractors, distractorsWith, distractorShare, gap: Math.abs(keyShare - distractorShare) },
    quizzes: quizzes.map((quiz) => quizStrategy(quiz, modal ?? 1)),
    pools: quizzes.flatMap((quiz) => quiz.pools.flatMap((pool) => poolProblems(pool).map((p) => `${quiz.id}/${pool.id}: ${p}`))),
  };
}

/**
 * What a content-free strategy scores on one quiz's single, true/false and
 * multiple-response items: the longest option; always "false"; the `modal`
 * longest options. Random guessing: 1/options; one half; a uniformly random subset.
 */
export function quizStrategy(quiz: Pick<Quiz, "id" | "questions" | "pools">, modal: number): QuizStrategy {
  let points = 0;
  let random = 0;
  let strategy = 0;
  for (const q of allQuestions(quiz)) {
    if (q.type === "single") {
      points += q.points;
      random += q.points / q.options.length;
      strategy += q.points * longestPickCredit(q);
    } else if (q.type === "true-false") {
      points += q.points;
      random += q.points / 2;
      strategy += (q as TrueFalse).answer ? 0 : q.points;
    } else if (q.type === "multiple") {
      points += q.points;
      random += q.points * randomMultipleCredit(q);
      strategy += q.points * longestSubsetCredit(q, modal);
    }
  }
  return { quiz: quiz.id, points, random: share(random, points), strategy: share(strategy, points) };
}

/** The blueprint of one question: what must agree between parallel forms. */
function blueprint(q: Question): Record<string, unknown> {
  const base = { type: q.type, points: q.points };
  switch (q.type) {
    case "single":
      return { ...base, options: q.options.length };
    case "multiple":
      return { ...base, options: q.options.length, correct: correctCount(q) };
    case "true-false":
      return { ...base, answer: q.answer };
    case "ordering":
      return { ...base, items: q.items.length };
    case "matching":
      return { ...base, pairs: q.pairs.length };
    default:
      return base;
  }
}

/**
 * Why the questions of a pool are not parallel forms: they differ in type, points,
 * number of options, items or pairs, number of correct options or true/false answer,
 * or a single-choice key is the longest option. Empty when every draw is alike.
 */
export function poolProblems(pool: Pick<Quiz["pools"][number], "questions">): string[] {
  const out: string[] = [];
  const [first, ...rest] = pool.questions;
  if (!first) return out;
  const expected = blueprint(first);
  for (const q of rest) {
    const got = blueprint(q);
    if (got.type !== expected.type) {
      out.push(`${q.id} differs from ${first.id} in type (${q.type} vs ${first.type})`);
      continue;
    }
    for (const [k, v] of Object.entries(expected))
      if (got[k] !== v) out.push(`${q.id} differs from ${first.id} in ${k} (${String(got[k])} vs ${String(v)})`);
  }
  for (const q of pool.questions) if (q.type === "single" && keyIsLongest(q)) out.push(`${q.id}: the key is the longest option`);
  return out;
}

/** Every limit the bank breaks, in words; empty when the bank is within them. */
export function bankViolations(shape: BankShape, limits: BankLimits = BANK_LIMITS): string[] {
  const out: string[] = [];
  const pct = (n: number) => `${Math.round(n * 100)} %`;
  if (shape.single.items && shape.single.share > limits.singleKeyLongestMax)
    out.push(
      `single choice: the key is the longest option in ${shape.single.keyLongest} of ${shape.single.items} items (${pct(shape.single.share)}; at most ${pct(limits.singleKeyLongestMax)})`,
    );
  for (const [rank, n] of Object.entries(shape.single.keyRanks))
    if (Number(rank) > 1 && share(n, shape.single.items) > limits.singleKeyRankMax)
      out.push(
        `single choice: the key has length rank ${rank} (1 = longest) in ${n} of ${shape.single.items} items (${pct(share(n, shape.single.items))}; at most ${pct(limits.singleKeyRankMax)} per rank)`,
      );
  if (shape.trueFalse.items && (shape.trueFalse.share < limits.trueShareMin || shape.trueFalse.share > limits.trueShareMax))
    out.push(
      `true/false: ${shape.trueFalse.keyedTrue} of ${shape.trueFalse.items} items keyed "true" (${pct(shape.trueFalse.share)}; needs ${pct(limits.trueShareMin)}–${pct(limits.trueShareMax)})`,
    );
  if (shape.multiple.items && shape.multiple.modalShare > limits.multipleModalShareMax)
    out.push(
      `multiple response: ${pct(shape.multiple.modalShare)} of items have exactly ${shape.multiple.modal} correct options (at most ${pct(limits.multipleModalShareMax)} may share one count)`,
    );
  for (const id of shape.multiple.outOfRange) out.push(`multiple response: ${id} should have from 1 to all but one of its options correct`);
  if (shape.absolute.gap > limits.absoluteGapMax)
    out.push(
      `absolute words: in ${pct(shape.absolute.keyShare)} of keys and ${pct(shape.absolute.distractorShare)} of distractors (may differ by at most ${pct(limits.absoluteGapMax)})`,
    );
  for (const s of shape.quizzes)
    if (s.points && s.strategy > s.random + limits.strategyMarginMax)
      out.push(
        `${s.quiz}: a content-free strategy scores ${pct(s.strategy)} of the single, true/false and multiple-response points; random guessing ${pct(s.random)} (at most ${pct(limits.strategyMarginMax)} more)`,
      );
  for (const p of shape.pools) out.push(`pool: ${p}`);
  return out;
}
