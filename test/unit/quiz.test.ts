import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type AnalysedAttempt, analyseItems } from "#app/domain/quiz/analysis";
import { AnswerError, AttemptFormSchema, isAnswered, readAnswers, submissionProblems } from "#app/domain/quiz/answers";
import { markingFormSchema, readMark } from "#app/domain/quiz/marking";
import { canStart, deadlineFor, isLate, meetsModuleRequirement, reviewLevel } from "#app/domain/quiz/rules";
import { type Question, type Quiz, QuizSchema } from "#app/domain/quiz/schema";
import { scoreAttempt, scoreQuestion } from "#app/domain/quiz/score";
import { idOfToken, prng, questionIndex, type ServedQuestion, serveQuiz, shuffle, tokenOf } from "#app/domain/quiz/serve";
import { publicAnswer, publicQuestion, reviewQuestion } from "#app/domain/quiz/view";
import { parseWith } from "#app/forms/parse";

/** Unguessable tokens, as the server makes them. */
const token = () => randomBytes(9).toString("base64url");
/** Predictable tokens, for tests that compare papers by seed. */
const counting = () => {
  let n = 0;
  return () => `tok${(n++).toString(36)}`;
};

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
  it("is the same for the same seed (and token source) and differs across seeds", () => {
    expect(serveQuiz(quiz, 42, { token: counting() })).toEqual(serveQuiz(quiz, 42, { token: counting() }));
    const papers = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(serveQuiz(quiz, seed, { token: counting() }))));
    expect(papers.size).toBeGreaterThan(1);
  });
  it("serves every fixed question and draws N from each pool", () => {
    const ids = serveQuiz(quiz, 7, { token }).map((s) => s.id);
    expect(ids.slice(0, 7)).toEqual(["s", "m", "t", "o", "x", "w", "i"]);
    expect(ids.slice(7).filter((id) => id.startsWith("p"))).toHaveLength(2);
  });
  it("draws a different paper per attempt while the pool has unseen questions, then reuses", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const first = serveQuiz(quiz, seed, { token }).map((s) => s.id);
      const second = serveQuiz(quiz, seed + 100, { token, avoid: new Set(first) }).map((s) => s.id);
      const pooled = (ids: string[]) => ids.filter((id) => id.startsWith("p"));
      expect(pooled(second).filter((id) => pooled(first).includes(id))).toEqual([]);
      // A third attempt has no unseen pool questions left: it still draws two.
      const third = serveQuiz(quiz, seed + 200, { token, avoid: new Set([...first, ...second]) });
      expect(pooled(third.map((s) => s.id))).toHaveLength(2);
    }
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
  it("the public view carries no key, feedback, explanation or content id", () => {
    const served = serveQuiz(quiz, 3, { token });
    const questions = served.map((s, i) => publicQuestion(questionIndex(quiz).get(s.id) as Question, s, i + 1));
    const text = JSON.stringify(questions);
    for (const secret of ["correct", "fb-", "why", "model", '"answer"', 'Affect","pairs']) expect(text).not.toContain(secret);
    // Options, items and statements are named by this attempt's tokens only.
    for (const q of questions) {
      for (const x of [...(q.options ?? []), ...(q.items ?? []), ...(q.pairs ?? [])]) {
        expect(["a", "b", "c", "d"]).not.toContain(x.id);
        expect(x.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
      }
    }
  });
  it("gives every attempt new tokens, and sorting them says nothing about the key", () => {
    const a = serveQuiz(quiz, 5, { token });
    const b = serveQuiz(quiz, 5, { token });
    const tokensOf = (p: ServedQuestion[]) => p.flatMap((s) => Object.values(s.tokens ?? {}));
    expect(tokensOf(a).filter((t) => tokensOf(b).includes(t))).toEqual([]);
    // Over many attempts, the correct option of "s" is first among its tokens (sorted) about a third of the time,
    // and the ordering items sorted by token match the correct order about 1 time in 24 — not always.
    let correctFirst = 0;
    let orderGiven = 0;
    const runs = 1200;
    for (let i = 0; i < runs; i++) {
      const paper = serveQuiz(quiz, i, { token });
      const s = paper.find((p) => p.id === "s") as ServedQuestion;
      const sorted = Object.entries(s.tokens ?? {}).sort((x, y) => (x[1] < y[1] ? -1 : 1));
      if (sorted[0]?.[0] === "a") correctFirst++;
      const o = paper.find((p) => p.id === "o") as ServedQuestion;
      const byToken = Object.entries(o.tokens ?? {})
        .sort((x, y) => (x[1] < y[1] ? -1 : 1))
        .map(([id]) => id);
      if (byToken.join() === "a,b,c,d") orderGiven++;
    }
    expect(correctFirst / runs).toBeGreaterThan(0.25);
    expect(correctFirst / runs).toBeLessThan(0.42);
    expect(orderGiven / runs).toBeLessThan(0.1);
  });
  it("maps tokens back to content ids, and stored answers forward to tokens", () => {
    const s = serveQuiz(quiz, 8, { token }).find((p) => p.id === "m") as ServedQuestion;
    const t = tokenOf(s, "b");
    expect(t).not.toBe("b");
    expect(idOfToken(s, t)).toBe("b");
    expect(idOfToken(s, "b")).toBeUndefined();
    expect(publicAnswer(multiple, s, ["a", "b"])).toEqual([tokenOf(s, "a"), t]);
    // Papers stored before tokens existed keep working with the ids.
    expect(idOfToken({ id: "m", order: ["a", "b"] }, "b")).toBe("b");
  });
});

describe("reading submitted answers", () => {
  const served = serveQuiz(quiz, 9, { token });
  const index = questionIndex(quiz);
  const of = (id: string) => served.find((s) => s.id === id) as ServedQuestion;
  const tok = (qid: string, id: string) => tokenOf(of(qid), id);
  it("keeps valid answers (tokens mapped to content ids) and drops empty ones", () => {
    const answers = readAnswers(
      [
        ["q.s", tok("s", "a")],
        ["q.m", tok("m", "a")],
        ["q.m", tok("m", "b")],
        ["q.t", "false"],
        [`q.o.${tok("o", "a")}`, "1"],
        [`q.o.${tok("o", "b")}`, ""],
        [`q.x.${tok("x", "a")}`, "Self"],
        ["q.w", "  words  "],
        ["q.i.self", "me"],
        ["intent", "submit"],
      ],
      served,
      index,
    );
    expect(answers).toEqual({ s: "a", m: ["a", "b"], t: "false", o: { a: "1" }, x: { a: "Self" }, w: "words", i: { self: "me" } });
  });
  it("refuses tampering: unknown questions, content ids instead of tokens, unknown tokens, labels, positions and parts", () => {
    const bad: [string, string][][] = [
      [["q.nope", "a"]],
      [["q.s", "a"]],
      [["q.s", "zzzzzzzzzzzz"]],
      [
        ["q.s", tok("s", "a")],
        ["q.s", tok("s", "b")],
      ],
      [["q.m", "a"]],
      [["q.m", tok("s", "a")]],
      [["q.t", "maybe"]],
      [["q.o.a", "1"]],
      [["q.o.zz", "1"]],
      [[`q.o.${tok("o", "a")}`, "9"]],
      [[`q.o.${tok("o", "a")}`, "0"]],
      [["q.x.a", "Self"]],
      [[`q.x.${tok("x", "a")}`, "Nonsense"]],
      [["q.i.mood", "x"]],
      [["q.w", "x".repeat(5001)]],
      [["q.s.extra", "x"]],
    ];
    for (const fields of bad) expect(() => readAnswers(fields, served, index), JSON.stringify(fields)).toThrow(AnswerError);
    // The pool draws 2 of its 4 questions, so two are certainly not on this paper.
    expect(served).toHaveLength(9);
    const notServed = ["p1", "p2", "p3", "p4"].filter((id) => !served.some((s) => s.id === id));
    expect(notServed).toHaveLength(2);
    for (const id of notServed) expect(() => readAnswers([[`q.${id}`, "a"]], served, index)).toThrow(/not on this paper/);
  });
  it("accepts only plain integers in range as ordering positions", () => {
    const item = `q.o.${tok("o", "a")}`;
    for (const pos of ["0x1", " 1", "1 ", "1e0", "1.0", "+1", "-1", "01x", "Infinity", "5"]) {
      expect(() => readAnswers([[item, pos]], served, index), pos).toThrow(/whole number from 1 to 4/);
    }
    expect(readAnswers([[item, "4"]], served, index)).toEqual({ o: { a: "4" } });
  });
  it("names the question in the error, for the field error on the form", () => {
    try {
      readAnswers([["q.s", "nope"]], served, index);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AnswerError);
      expect((error as AnswerError).questionId).toBe("s");
    }
  });
  it("flags two items in the same position on submission", () => {
    expect(submissionProblems({ o: { a: "1", b: "1" } }, index)).toEqual({ o: expect.stringMatching(/different position/) });
  });
  it("the attempt form needs an intent of save or submit", () => {
    expect(parseWith(AttemptFormSchema, { intent: "submit", "q.s": "x" })).toMatchObject({ ok: true, data: { intent: "submit" } });
    expect(parseWith(AttemptFormSchema, { intent: "explode" })).toMatchObject({
      ok: false,
      errors: { intent: expect.stringMatching(/save or to submit/) },
    });
    expect(parseWith(AttemptFormSchema, {})).toMatchObject({ ok: false });
  });
  it("knows when a question is fully answered", () => {
    expect(isAnswered(single, "a")).toBe(true);
    expect(isAnswered(single, undefined)).toBe(false);
    expect(isAnswered(multiple, [])).toBe(false);
    expect(isAnswered(ordering, { a: "1", b: "2", c: "3" })).toBe(false);
    expect(isAnswered(ordering, { a: "1", b: "2", c: "3", d: "4" })).toBe(true);
    expect(isAnswered(matching, { a: "Self", b: "Other", c: "Self" })).toBe(false);
    expect(isAnswered(ipaf, { self: "s", other: "o", affect: "a" })).toBe(false);
    expect(isAnswered(ipaf, { self: "s", other: "o", affect: "a", defence: "d" })).toBe(true);
    expect(isAnswered(short, "text")).toBe(true);
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
  it("shows the key only once the result is final; before that, only the person's own answers", () => {
    const attempt = { status: "COMPLETE" as const };
    const awaiting = { status: "AWAITING_MARKING" as const };
    const immediately = { review: "immediately" as const, attempts: 2 };
    // Attempts remain and nothing is passed: own answers only, even while awaiting marking.
    expect(reviewLevel(immediately, attempt, [done(false, 1)])).toBe("own");
    expect(reviewLevel(immediately, awaiting, [{ ...done(null, 1), status: "AWAITING_MARKING" }])).toBe("own");
    // Passed, or no attempt left: the full key.
    expect(reviewLevel(immediately, attempt, [done(true, 1)])).toBe("full");
    expect(reviewLevel(immediately, attempt, [done(false, 1), done(false, 30)])).toBe("full");
    // Unlimited attempts never run out: own answers until passed.
    expect(
      reviewLevel(
        { review: "immediately", attempts: 0 },
        attempt,
        Array.from({ length: 9 }, (_, i) => done(false, i)),
      ),
    ).toBe("own");
    expect(reviewLevel({ review: "never", attempts: 2 }, attempt, [done(true, 1)])).toBe("none");
    expect(reviewLevel({ review: "after-close", attempts: 2 }, attempt, [done(false, 1)])).toBe("none");
    expect(reviewLevel({ review: "after-close", attempts: 2 }, attempt, [done(false, 1), done(false, 30)])).toBe("full");
    expect(reviewLevel({ review: "after-close", attempts: 2 }, attempt, [done(true, 1)])).toBe("full");
    expect(reviewLevel({ review: "after-close", attempts: 1 }, awaiting, [{ ...done(null, 1), status: "AWAITING_MARKING" }])).toBe("none");
    expect(reviewLevel(immediately, { status: "IN_PROGRESS" }, [])).toBe("none");
  });
  it("formative quizzes count once every question is answered; summative ones once passed", () => {
    const formative = { purpose: "formative" as const, late: "zero" as const };
    const summative = { purpose: "summative" as const, late: "zero" as const };
    expect(meetsModuleRequirement(formative, { passed: false, late: false, allAnswered: true })).toBe(true);
    expect(meetsModuleRequirement(formative, { passed: null, late: false, allAnswered: true })).toBe(true);
    expect(meetsModuleRequirement(formative, { passed: true, late: false, allAnswered: false })).toBe(false);
    expect(meetsModuleRequirement(formative, { passed: false, late: true, allAnswered: true })).toBe(false);
    expect(meetsModuleRequirement({ ...formative, late: "accept" }, { passed: false, late: true, allAnswered: true })).toBe(true);
    expect(meetsModuleRequirement(summative, { passed: false, late: false, allAnswered: true })).toBe(false);
    expect(meetsModuleRequirement(summative, { passed: null, late: false, allAnswered: true })).toBe(false);
    expect(meetsModuleRequirement(summative, { passed: true, late: false, allAnswered: false })).toBe(true);
  });
});

describe("quiz purpose", () => {
  const base = { id: "q", version: 1, title: "A quiz", settings: { passMark: 50, attempts: 1 }, questions: [single] };
  it("defaults to formative for a module quiz and summative for a course-wide one", () => {
    const six = ["a", "b", "c", "d", "e", "f"].map((id) => ({ ...single, id }));
    expect(QuizSchema.parse({ ...base, module: "m", questions: six }).settings.purpose).toBe("formative");
    expect(QuizSchema.parse(base).settings.purpose).toBe("summative");
    expect(
      QuizSchema.parse({ ...base, module: "m", questions: six, settings: { ...base.settings, purpose: "summative" } }).settings.purpose,
    ).toBe("summative");
    expect(QuizSchema.safeParse({ ...base, settings: { ...base.settings, purpose: "diagnostic" } }).success).toBe(false);
  });
});

describe("review of a submitted question", () => {
  const served = serveQuiz(quiz, 4, { token });
  const of = (id: string) => served.find((s) => s.id === id) as ServedQuestion;
  const score = { id: "x", points: 0, max: 1, auto: true, pending: false };
  const keys = (o: object) => Object.keys(o);
  it("at 'own', a blank answer reveals nothing of the key", () => {
    for (const q of [single, multiple, tf, ordering, matching, short, ipaf]) {
      const r = reviewQuestion(q, of(q.id), 1, undefined, score, null, "own");
      expect(r.explanationHtml, q.id).toBeNull();
      expect(keys(r), q.id).not.toContain("correctOrder");
      expect(keys(r), q.id).not.toContain("correctMatches");
      expect(keys(r), q.id).not.toContain("modelAnswer");
      for (const c of r.choices ?? []) {
        expect(keys(c), q.id).not.toContain("correct");
        expect(c.feedbackHtml, q.id).toBeNull();
      }
      expect(JSON.stringify(r), q.id).not.toMatch(/fb-|why|model|"correct"/);
    }
  });
  it("at 'own', judges only the choices made, with their feedback", () => {
    const s = of("m");
    const r = reviewQuestion(multiple, s, 1, ["a", "c"], score, null, "own");
    const byToken = new Map((r.choices ?? []).map((c) => [c.id, c]));
    expect(byToken.get(tokenOf(s, "a"))).toEqual({
      id: tokenOf(s, "a"),
      html: "Option a",
      chosen: true,
      correct: true,
      feedbackHtml: "fb-a",
    });
    expect(byToken.get(tokenOf(s, "c"))).toMatchObject({ chosen: true, correct: false, feedbackHtml: "fb-c" });
    expect(keys(byToken.get(tokenOf(s, "b")) ?? {})).not.toContain("correct");
    expect(r.answer).toEqual([tokenOf(s, "a"), tokenOf(s, "c")]);
    const m = reviewQuestion(matching, of("x"), 1, { a: "Self", b: "Self" }, score, null, "own");
    expect(m.matched).toEqual({ [tokenOf(of("x"), "a")]: true, [tokenOf(of("x"), "b")]: false });
    expect(keys(m)).not.toContain("correctMatches");
  });
  it("at 'full', shows the key in tokens, the explanations and the model answers", () => {
    const r = reviewQuestion(single, of("s"), 1, undefined, score, null, "full");
    expect(r.choices?.find((c) => c.id === tokenOf(of("s"), "a"))).toMatchObject({ correct: true, feedbackHtml: "fb-a" });
    expect(r.explanationHtml).toBe("why");
    expect(reviewQuestion(ordering, of("o"), 1, undefined, score, null, "full").correctOrder).toEqual(
      ["a", "b", "c", "d"].map((id) => tokenOf(of("o"), id)),
    );
    expect(reviewQuestion(short, of("w"), 1, "text", score, null, "full").modelAnswer).toBe("model");
  });
});

describe("the marking rule", () => {
  it("takes 0 to the question's points in half-point steps, written plainly", () => {
    expect(readMark("3.5", 4)).toBe(3.5);
    expect(readMark("0", 4)).toBe(0);
    expect(readMark(" 4 ", 4)).toBe(4);
    for (const raw of ["", "4.5", "-1", "1.25", "abc", "0x2", "1e0", "Infinity", "NaN", "2,5"]) expect(readMark(raw, 4), raw).toBeNull();
  });
  it("the marking form gives a field error per question and the marks when valid", () => {
    const schema = markingFormSchema([
      { id: "w", points: 2 },
      { id: "i", points: 4 },
    ]);
    expect(parseWith(schema, { "points.w": "1.5", "feedback.w": " Good. ", "points.i": "4" })).toEqual({
      ok: true,
      data: { w: { points: 1.5, feedback: "Good." }, i: { points: 4, feedback: "" } },
    });
    expect(parseWith(schema, { "points.w": "3", "points.i": ["1", "2"] })).toEqual({
      ok: false,
      errors: { "points.w": "Give a mark from 0 to 2, in steps of 0.5.", "points.i": "Give a mark from 0 to 4, in steps of 0.5." },
    });
    expect(parseWith(schema, { "points.w": "1", "points.i": "1", "feedback.i": "x".repeat(5001) })).toMatchObject({
      ok: false,
      errors: { "feedback.i": expect.stringMatching(/under 5000/) },
    });
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
    expect(m).toMatchObject({ responses: 0, facility: null, flags: ["too-few-responses"], suppressed: true });
  });
  it("withholds every figure of an item answered by fewer attempts than the minimum group", () => {
    const attempts: AnalysedAttempt[] = [
      { percent: 90, served: ["s", "t"], answers: { s: "a", t: "true" }, manual: {} },
      { percent: 80, served: ["s", "t"], answers: { s: "a", t: "false" }, manual: {} },
      { percent: 20, served: ["s"], answers: { s: "b" }, manual: {} },
    ];
    const [s, t] = analyseItems([single, tf], attempts, { minGroup: 3 });
    expect(s).toMatchObject({ responses: 3, suppressed: false, facility: 0.67 });
    expect(s?.choices.map((c) => c.count)).toEqual([2, 1, 0]);
    expect(t).toEqual({
      id: "t",
      type: "true-false",
      responses: 2,
      facility: null,
      discrimination: null,
      suppressed: true,
      flags: ["too-few-responses"],
      choices: [
        { id: "true", label: "True", correct: false, count: null },
        { id: "false", label: "False", correct: true, count: null },
      ],
    });
  });
});
