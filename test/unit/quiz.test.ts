import { describe, expect, it } from "vitest";
import { analyseItems } from "#app/domain/quiz/analysis";
import { AnswerError, readAnswers, submissionProblems } from "#app/domain/quiz/answers";
import { canStart, deadlineFor, isLate, mayReview } from "#app/domain/quiz/rules";
import { type Question, type Quiz, QuizSchema } from "#app/domain/quiz/schema";
import { scoreAttempt, scoreQuestion } from "#app/domain/quiz/score";
import { prng, questionIndex, serveQuiz, shuffle } from "#app/domain/quiz/serve";
import { publicQuestion } from "#app/domain/quiz/view";

const opt = (id: string, correct = false) => ({ id, text: `Option ${id}`, correct, feedback: `fb-${id}` });
const single: Question = {
  id: "s",
  type: "single",
  points: 1,
  prompt: "Prompt text",
  options: [opt("a", true), opt("b"), opt("c")],
  explanation: "why",
};
const multiple: Question = {
  id: "m",
  type: "multiple",
  points: 2,
  prompt: "Prompt text",
  options: [opt("a", true), opt("b", true), opt("c"), opt("d")],
};
const tf: Question = { id: "t", type: "true-false", points: 1, prompt: "Prompt text", answer: false };
const ordering: Question = {
  id: "o",
  type: "ordering",
  points: 3,
  prompt: "Prompt text",
  items: ["a", "b", "c", "d"].map((id) => ({ id, text: id })),
};
const matching: Question = {
  id: "x",
  type: "matching",
  points: 2,
  prompt: "Prompt text",
  pairs: [
    { id: "a", prompt: "A", match: "Self" },
    { id: "b", prompt: "B", match: "Other" },
    { id: "c", prompt: "C", match: "Self" },
    { id: "d", prompt: "D", match: "Affect" },
  ],
};
const short: Question = { id: "w", type: "short-text", points: 2, prompt: "Prompt text", modelAnswer: "model" };
const ipaf: Question = {
  id: "i",
  type: "ipaf",
  points: 4,
  prompt: "Prompt text",
  modelAnswer: { self: "s", other: "o", affect: "a", defence: "d" },
};

describe("scoring each question type", () => {
  it("single choice and true/false are all or nothing", () => {
    expect(scoreQuestion(single, "a").points).toBe(1);
    expect(scoreQuestion(single, "b").points).toBe(0);
    expect(scoreQuestion(single, undefined).points).toBe(0);
    expect(scoreQuestion(tf, "false").points).toBe(1);
    expect(scoreQuestion(tf, "true").points).toBe(0);
  });

  it("multiple response: (right − wrong) / correct, never below zero", () => {
    expect(scoreQuestion(multiple, ["a", "b"]).points).toBe(2);
    expect(scoreQuestion(multiple, ["a"]).points).toBe(1);
    expect(scoreQuestion(multiple, ["a", "c"]).points).toBe(0);
    expect(scoreQuestion(multiple, ["a", "b", "c"]).points).toBe(1);
    expect(scoreQuestion(multiple, ["c", "d"]).points).toBe(0);
    expect(scoreQuestion(multiple, ["a", "b", "c", "d"]).points).toBe(0);
  });

  it("ordering: the share of pairs in the right relative order", () => {
    expect(scoreQuestion(ordering, { a: "1", b: "2", c: "3", d: "4" }).points).toBe(3);
    expect(scoreQuestion(ordering, { a: "4", b: "3", c: "2", d: "1" }).points).toBe(0);
    // One adjacent swap: 5 of 6 pairs right.
    expect(scoreQuestion(ordering, { a: "2", b: "1", c: "3", d: "4" }).points).toBe(2.5);
    expect(scoreQuestion(ordering, { a: "1" }).points).toBe(0);
  });

  it("matching: the share of statements matched", () => {
    expect(scoreQuestion(matching, { a: "Self", b: "Other", c: "Self", d: "Affect" }).points).toBe(2);
    expect(scoreQuestion(matching, { a: "Self", b: "Self", c: "Self", d: "Self" }).points).toBe(1);
    expect(scoreQuestion(matching, {}).points).toBe(0);
  });

  it("free text and IPAF wait for a trainer, unless left blank", () => {
    expect(scoreQuestion(short, "my answer")).toMatchObject({ points: 0, pending: true, auto: false });
    expect(scoreQuestion(short, "my answer", 1.5)).toMatchObject({ points: 1.5, pending: false });
    expect(scoreQuestion(short, "my answer", 9)).toMatchObject({ points: 2 });
    expect(scoreQuestion(ipaf, undefined)).toMatchObject({ points: 0, pending: false });
  });
});

describe("scoring an attempt", () => {
  const qs = questionIndex({ questions: [single, multiple, short], pools: [] });
  const served = [{ id: "s" }, { id: "m" }, { id: "w" }];
  const settings = { passMark: 60, late: "zero" as const };

  it("passes early when automatic marks already reach the pass mark", () => {
    const r = scoreAttempt(served, qs, { s: "a", m: ["a", "b"], w: "text" }, {}, settings);
    expect(r).toMatchObject({ score: 3, max: 5, percent: 60, pending: 1, passed: true });
  });
  it("stays undecided while marking could still change the result, then decides", () => {
    const open = scoreAttempt(served, qs, { s: "a", m: ["a"], w: "text" }, {}, settings);
    expect(open).toMatchObject({ score: 2, pending: 1, passed: null });
    expect(scoreAttempt(served, qs, { s: "a", m: ["a"], w: "text" }, { w: 1 }, settings)).toMatchObject({
      score: 3,
      passed: true,
      pending: 0,
    });
    expect(scoreAttempt(served, qs, { s: "a", m: ["a"], w: "text" }, { w: 0 }, settings)).toMatchObject({ score: 2, passed: false });
  });
  it("fails early when even full marks for the pending answers cannot pass", () => {
    expect(scoreAttempt(served, qs, { s: "b", w: "text" }, {}, settings)).toMatchObject({ passed: false, pending: 1 });
  });
  it("scores a late submission zero under the 'zero' rule, as usual under 'accept'", () => {
    const answers = { s: "a", m: ["a", "b"] };
    expect(scoreAttempt(served, qs, answers, {}, settings, { late: true })).toMatchObject({ score: 0, passed: false });
    expect(scoreAttempt(served, qs, answers, {}, { ...settings, late: "accept" }, { late: true })).toMatchObject({
      score: 3,
      passed: true,
    });
  });
});

const quiz: Quiz = QuizSchema.parse({
  id: "demo",
  version: 1,
  module: "m",
  title: "Demo quiz",
  settings: { passMark: 50, attempts: 2, cooldownMinutes: 10, timeLimitMinutes: 20 },
  vignettes: [{ id: "v", title: "V", text: "A vignette long enough to pass." }],
  questions: [single, multiple, tf, ordering, matching, short, ipaf],
  pools: [{ id: "p", draw: 2, questions: ["p1", "p2", "p3", "p4"].map((id) => ({ ...single, id })) }],
});

describe("serving a paper", () => {
  it("is the same for the same seed and differs across seeds", () => {
    expect(serveQuiz(quiz, 42)).toEqual(serveQuiz(quiz, 42));
    const papers = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(serveQuiz(quiz, seed))));
    expect(papers.size).toBeGreaterThan(1);
  });
  it("serves every fixed question and draws N from each pool", () => {
    const ids = serveQuiz(quiz, 7).map((s) => s.id);
    expect(ids.slice(0, 7)).toEqual(["s", "m", "t", "o", "x", "w", "i"]);
    expect(ids.slice(7).filter((id) => id.startsWith("p"))).toHaveLength(2);
  });
  it("shuffles with a uniform-looking PRNG", () => {
    const r = prng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const first = shuffle([0, 1, 2, 3], r)[0] as number;
      counts[first] = (counts[first] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
  it("the public view carries no key, feedback or explanation", () => {
    const served = serveQuiz(quiz, 3);
    const text = JSON.stringify(served.map((s, i) => publicQuestion(questionIndex(quiz).get(s.id) as Question, s, i + 1)));
    for (const secret of ["correct", "fb-", "why", "model", '"answer"', 'Affect","pairs']) expect(text).not.toContain(secret);
  });
});

describe("reading submitted answers", () => {
  const served = serveQuiz(quiz, 9);
  const index = questionIndex(quiz);
  it("keeps valid answers and drops empty ones", () => {
    const answers = readAnswers(
      [
        ["q.s", "a"],
        ["q.m", "a"],
        ["q.m", "b"],
        ["q.t", "false"],
        ["q.o.a", "1"],
        ["q.o.b", ""],
        ["q.x.a", "Self"],
        ["q.w", "  words  "],
        ["q.i.self", "me"],
        ["intent", "submit"],
      ],
      served,
      index,
    );
    expect(answers).toEqual({ s: "a", m: ["a", "b"], t: "false", o: { a: "1" }, x: { a: "Self" }, w: "words", i: { self: "me" } });
  });
  it("refuses tampering: unknown questions, options, labels, positions and parts", () => {
    const bad: [string, string][][] = [
      [["q.nope", "a"]],
      [["q.s", "z"]],
      [
        ["q.s", "a"],
        ["q.s", "b"],
      ],
      [["q.m", "z"]],
      [["q.t", "maybe"]],
      [["q.o.zz", "1"]],
      [["q.o.a", "9"]],
      [["q.x.a", "Nonsense"]],
      [["q.x.zz", "Self"]],
      [["q.i.mood", "x"]],
      [["q.w", "x".repeat(5001)]],
    ];
    for (const fields of bad) expect(() => readAnswers(fields, served, index), JSON.stringify(fields)).toThrow(AnswerError);
    const notServed = served.length < 9 ? ["p1", "p2", "p3", "p4"].find((id) => !served.some((s) => s.id === id)) : undefined;
    if (notServed) expect(() => readAnswers([[`q.${notServed}`, "a"]], served, index)).toThrow(/not on this paper/);
  });
  it("flags two items in the same position on submission", () => {
    expect(submissionProblems({ o: { a: "1", b: "1" } }, index)).toEqual({ o: expect.stringMatching(/different position/) });
  });
});

describe("attempt rules", () => {
  const t0 = new Date("2026-11-25T10:00:00Z");
  const done = (passed: boolean | null, minutesAgo: number) => ({
    status: "COMPLETE" as const,
    passed,
    startedAt: new Date(t0.getTime() - (minutesAgo + 5) * 60_000),
    submittedAt: new Date(t0.getTime() - minutesAgo * 60_000),
  });
  it("limits attempts, enforces cooldown, and stops after a pass or with one open", () => {
    expect(canStart(quiz.settings, [], t0)).toEqual({ ok: true });
    expect(canStart(quiz.settings, [done(false, 5)], t0)).toMatchObject({ ok: false, reason: "cooldown" });
    expect(canStart(quiz.settings, [done(false, 11)], t0)).toEqual({ ok: true });
    expect(canStart(quiz.settings, [done(false, 60), done(false, 30)], t0)).toMatchObject({ reason: "no-attempts-left" });
    expect(canStart(quiz.settings, [done(true, 60)], t0)).toMatchObject({ reason: "already-passed" });
    expect(canStart(quiz.settings, [{ ...done(null, 1), status: "IN_PROGRESS" }], t0)).toMatchObject({ reason: "in-progress" });
  });
  it("computes deadlines with a short grace", () => {
    const d = deadlineFor(quiz.settings, t0) as Date;
    expect(d.toISOString()).toBe("2026-11-25T10:20:00.000Z");
    expect(isLate(d, new Date(d.getTime() + 29_000))).toBe(false);
    expect(isLate(d, new Date(d.getTime() + 31_000))).toBe(true);
    expect(isLate(null, new Date(2100, 0))).toBe(false);
  });
  it("reveals answers per the review setting", () => {
    const attempt = { status: "COMPLETE" as const };
    expect(mayReview({ review: "immediately", attempts: 2 }, attempt, [done(false, 1)])).toBe(true);
    expect(mayReview({ review: "never", attempts: 2 }, attempt, [done(true, 1)])).toBe(false);
    expect(mayReview({ review: "after-close", attempts: 2 }, attempt, [done(false, 1)])).toBe(false);
    expect(mayReview({ review: "after-close", attempts: 2 }, attempt, [done(false, 1), done(false, 30)])).toBe(true);
    expect(mayReview({ review: "after-close", attempts: 2 }, attempt, [done(true, 1)])).toBe(true);
    expect(mayReview({ review: "immediately", attempts: 2 }, { status: "IN_PROGRESS" }, [])).toBe(false);
  });
});

describe("item analysis", () => {
  it("computes facility, discrimination, choice counts and flags", () => {
    const attempts = [
      { percent: 90, served: ["s", "t"], answers: { s: "a", t: "true" }, manual: {} },
      { percent: 80, served: ["s", "t"], answers: { s: "a", t: "true" }, manual: {} },
      { percent: 60, served: ["s", "t"], answers: { s: "a", t: "false" }, manual: {} },
      { percent: 40, served: ["s", "t"], answers: { s: "b", t: "false" }, manual: {} },
      { percent: 20, served: ["s", "t"], answers: { s: "c", t: "false" }, manual: {} },
    ];
    const [s, t, m] = analyseItems([single, tf, multiple], attempts);
    expect(s).toMatchObject({ responses: 5, facility: 0.6, discrimination: 1, flags: [] });
    expect(s?.choices.map((c) => [c.id, c.count])).toEqual([
      ["a", 3],
      ["b", 1],
      ["c", 1],
    ]);
    // The strongest candidates chose "true" (wrong): negative discrimination.
    expect(t).toMatchObject({ facility: 0.6, discrimination: -1, flags: ["negative-discrimination"] });
    expect(m).toMatchObject({ responses: 0, facility: null, flags: ["too-few-responses"] });
  });
});
