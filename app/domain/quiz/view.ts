import type { Answer } from "#app/domain/quiz/answers";
import type { ReviewLevel } from "#app/domain/quiz/rules";
import { IPAF_PARTS, type Question, type Quiz } from "#app/domain/quiz/schema";
import type { QuestionScore } from "#app/domain/quiz/score";
import { type ServedQuestion, tokenOf } from "#app/domain/quiz/serve";

/**
 * What the browser may see of a question before the attempt is reviewed:
 * prompt and choices in the served order, each option, ordering item and
 * matching statement named by the attempt's opaque token — never a content id,
 * which option is correct, feedback, explanations, model answers or marking
 * notes.
 */
export type PublicQuestion = {
  id: string;
  number: number;
  type: Question["type"];
  points: number;
  promptHtml: string;
  vignetteId: string | null;
  options?: { id: string; html: string }[];
  items?: { id: string; html: string }[];
  pairs?: { id: string; html: string }[];
  labels?: string[];
  parts?: readonly string[];
};

export function publicQuestion(q: Question, served: ServedQuestion, number: number): PublicQuestion {
  const order = served.order ?? [];
  const byOrder = <T extends { id: string }>(xs: readonly T[]) =>
    order.map((id) => xs.find((x) => x.id === id)).filter((x): x is T => Boolean(x));
  const tok = (id: string) => tokenOf(served, id);
  const base = { id: q.id, number, type: q.type, points: q.points, promptHtml: q.prompt, vignetteId: q.vignette ?? null };
  switch (q.type) {
    case "single":
    case "multiple":
      return { ...base, options: byOrder(q.options).map((o) => ({ id: tok(o.id), html: o.text })) };
    case "ordering":
      return { ...base, items: byOrder(q.items).map((i) => ({ id: tok(i.id), html: i.text })) };
    case "matching":
      return { ...base, pairs: q.pairs.map((p) => ({ id: tok(p.id), html: p.prompt })), labels: order };
    case "ipaf":
      return { ...base, parts: IPAF_PARTS };
    default:
      return base;
  }
}

/** A stored answer (content ids) as the page names it (the attempt's tokens). */
export function publicAnswer(q: Question, served: ServedQuestion, answer: Answer | undefined): Answer | undefined {
  if (answer === undefined) return undefined;
  const tok = (id: string) => tokenOf(served, id);
  switch (q.type) {
    case "single":
      return typeof answer === "string" ? tok(answer) : answer;
    case "multiple":
      return Array.isArray(answer) ? answer.map(tok) : answer;
    case "ordering":
    case "matching":
      return typeof answer === "object" && !Array.isArray(answer)
        ? Object.fromEntries(Object.entries(answer).map(([id, v]) => [tok(id), v]))
        : answer;
    default:
      return answer;
  }
}

export function publicVignettes(quiz: Quiz, questions: readonly PublicQuestion[]) {
  const used = new Set(questions.map((q) => q.vignetteId).filter(Boolean));
  return quiz.vignettes.filter((v) => used.has(v.id)).map((v) => ({ id: v.id, title: v.title, html: v.text }));
}

/**
 * A submitted question for review, at the level the rules allow (see
 * `reviewLevel` in rules.ts). At "own" only the person's own answers are
 * judged: `correct` and feedback appear only on choices they made, `matched`
 * says which of their own matches were right, and the key (unchosen correct
 * options, `correctOrder`, `correctMatches`, `modelAnswer`) and explanations
 * are absent. At "full" everything is shown.
 */
export type ReviewedQuestion = PublicQuestion & {
  level: Exclude<ReviewLevel, "none">;
  answer: Answer | null;
  score: QuestionScore;
  explanationHtml: string | null;
  /** Per choice (single, multiple, true/false): whether it was chosen; whether it is correct and its feedback, where allowed. */
  choices?: { id: string; html: string; chosen: boolean; correct?: boolean; feedbackHtml: string | null }[];
  /** Matching at "own": per statement the person matched, whether their label was right. */
  matched?: Record<string, boolean>;
  /** Ordering at "full": the correct order; matching at "full": the correct label per statement. */
  correctOrder?: string[];
  correctMatches?: Record<string, string>;
  modelAnswer?: string | Record<string, string>;
  markerFeedback?: string | null;
};

export function reviewQuestion(
  q: Question,
  served: ServedQuestion,
  number: number,
  answer: Answer | undefined,
  score: QuestionScore,
  markerFeedback: string | null,
  level: Exclude<ReviewLevel, "none">,
): ReviewedQuestion {
  const pub = publicQuestion(q, served, number);
  const full = level === "full";
  const shown = publicAnswer(q, served, answer);
  const base = { ...pub, level, answer: shown ?? null, score, explanationHtml: null as string | null, markerFeedback };
  const explanation = (text: string | undefined) => (full ? (text ?? null) : null);
  /** A choice as review shows it: at "own", judged only when the person chose it. */
  const choice = (id: string, html: string, chosen: boolean, correct: boolean, feedback: string | undefined) =>
    full || chosen ? { id, html, chosen, correct, feedbackHtml: feedback ?? null } : { id, html, chosen, feedbackHtml: null };
  switch (q.type) {
    case "single":
    case "multiple": {
      const chosen = new Set(Array.isArray(answer) ? answer : answer ? [String(answer)] : []);
      return {
        ...base,
        explanationHtml: explanation(q.explanation),
        choices: (served.order ?? [])
          .map((id) => q.options.find((o) => o.id === id))
          .filter((o): o is NonNullable<typeof o> => Boolean(o))
          .map((o) => choice(tokenOf(served, o.id), o.text, chosen.has(o.id), o.correct, o.feedback)),
      };
    }
    case "true-false":
      return {
        ...base,
        explanationHtml: explanation(q.explanation),
        choices: (["true", "false"] as const).map((v) =>
          choice(v, v === "true" ? "True" : "False", answer === v, String(q.answer) === v, q.feedback?.[v]),
        ),
      };
    case "ordering":
      return full
        ? { ...base, explanationHtml: explanation(q.explanation), correctOrder: q.items.map((i) => tokenOf(served, i.id)) }
        : base;
    case "matching": {
      if (full) {
        return {
          ...base,
          explanationHtml: explanation(q.explanation),
          correctMatches: Object.fromEntries(q.pairs.map((p) => [tokenOf(served, p.id), p.match])),
        };
      }
      const given = typeof answer === "object" && !Array.isArray(answer) ? answer : {};
      return {
        ...base,
        matched: Object.fromEntries(
          q.pairs.filter((p) => given[p.id] !== undefined).map((p) => [tokenOf(served, p.id), given[p.id] === p.match]),
        ),
      };
    }
    case "short-text":
    case "ipaf":
      return full ? { ...base, modelAnswer: q.modelAnswer } : base;
  }
}
