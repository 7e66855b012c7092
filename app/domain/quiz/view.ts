import type { Answer } from "#app/domain/quiz/answers";
import { IPAF_PARTS, type Question, type Quiz } from "#app/domain/quiz/schema";
import type { QuestionScore } from "#app/domain/quiz/score";
import type { ServedQuestion } from "#app/domain/quiz/serve";

/**
 * What the browser may see of a question before the attempt is reviewed:
 * prompt and choices in the served order — never which option is correct,
 * feedback, explanations, model answers or marking notes.
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
  const base = { id: q.id, number, type: q.type, points: q.points, promptHtml: q.prompt, vignetteId: q.vignette ?? null };
  switch (q.type) {
    case "single":
    case "multiple":
      return { ...base, options: byOrder(q.options).map((o) => ({ id: o.id, html: o.text })) };
    case "ordering":
      return { ...base, items: byOrder(q.items).map((i) => ({ id: i.id, html: i.text })) };
    case "matching":
      return { ...base, pairs: q.pairs.map((p) => ({ id: p.id, html: p.prompt })), labels: order };
    case "ipaf":
      return { ...base, parts: IPAF_PARTS };
    default:
      return base;
  }
}

export function publicVignettes(quiz: Quiz, questions: readonly PublicQuestion[]) {
  const used = new Set(questions.map((q) => q.vignetteId).filter(Boolean));
  return quiz.vignettes.filter((v) => used.has(v.id)).map((v) => ({ id: v.id, title: v.title, html: v.text }));
}

/** After review is allowed: the question with the person's answer, its score, the key and the feedback. */
export type ReviewedQuestion = PublicQuestion & {
  answer: Answer | null;
  score: QuestionScore;
  explanationHtml: string | null;
  /** Per choice: whether it is correct and its feedback (single, multiple, true/false). */
  choices?: { id: string; html: string; correct: boolean; chosen: boolean; feedbackHtml: string | null }[];
  /** Ordering: the correct order; matching: the correct label per statement. */
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
): ReviewedQuestion {
  const pub = publicQuestion(q, served, number);
  const base = { ...pub, answer: answer ?? null, score, explanationHtml: null as string | null, markerFeedback };
  switch (q.type) {
    case "single":
    case "multiple": {
      const chosen = new Set(Array.isArray(answer) ? answer : answer ? [String(answer)] : []);
      return {
        ...base,
        explanationHtml: q.explanation ?? null,
        choices: (pub.options ?? []).map((o) => {
          const opt = q.options.find((x) => x.id === o.id);
          return { id: o.id, html: o.html, correct: Boolean(opt?.correct), chosen: chosen.has(o.id), feedbackHtml: opt?.feedback ?? null };
        }),
      };
    }
    case "true-false":
      return {
        ...base,
        explanationHtml: q.explanation ?? null,
        choices: (["true", "false"] as const).map((v) => ({
          id: v,
          html: v === "true" ? "True" : "False",
          correct: String(q.answer) === v,
          chosen: answer === v,
          feedbackHtml: q.feedback?.[v] ?? null,
        })),
      };
    case "ordering":
      return { ...base, explanationHtml: q.explanation ?? null, correctOrder: q.items.map((i) => i.id) };
    case "matching":
      return { ...base, explanationHtml: q.explanation ?? null, correctMatches: Object.fromEntries(q.pairs.map((p) => [p.id, p.match])) };
    case "short-text":
      return { ...base, modelAnswer: q.modelAnswer };
    case "ipaf":
      return { ...base, modelAnswer: q.modelAnswer };
  }
}
