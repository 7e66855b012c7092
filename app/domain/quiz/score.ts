import type { Answer, Answers } from "#app/domain/quiz/answers";
import { MANUAL_TYPES, type Question, type QuizSettings } from "#app/domain/quiz/schema";
import type { ServedQuestion } from "#app/domain/quiz/serve";

/**
 * Scoring, on the server only. Partial credit (documented in docs/content.md):
 * - single, true/false: all or nothing;
 * - multiple response: (correct choices − wrong choices) / correct options, never below 0;
 * - ordering: the share of item pairs placed in the right relative order (Kendall-style);
 * - matching: the share of statements matched to the right label;
 * - short text and IPAF formulation: marked by a trainer (0 to the question's points).
 */
export type QuestionScore = { id: string; points: number; max: number; auto: boolean; pending: boolean };

const round2 = (n: number) => Math.round(n * 100) / 100;

export function fraction(q: Question, answer: Answer | undefined): number {
  if (answer === undefined) return 0;
  switch (q.type) {
    case "single":
      return q.options.find((o) => o.correct)?.id === answer ? 1 : 0;
    case "true-false":
      return answer === String(q.answer) ? 1 : 0;
    case "multiple": {
      const chosen = new Set(Array.isArray(answer) ? answer : [String(answer)]);
      const correct = q.options.filter((o) => o.correct);
      const right = correct.filter((o) => chosen.has(o.id)).length;
      const wrong = q.options.filter((o) => !o.correct && chosen.has(o.id)).length;
      return Math.max(0, (right - wrong) / correct.length);
    }
    case "ordering": {
      if (typeof answer !== "object" || Array.isArray(answer)) return 0;
      const pos = (id: string) => Number(answer[id] ?? Number.NaN);
      const ids = q.items.map((i) => i.id);
      let pairs = 0;
      let right = 0;
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          pairs++;
          if (pos(ids[i] as string) < pos(ids[j] as string)) right++;
        }
      }
      return pairs ? right / pairs : 0;
    }
    case "matching": {
      if (typeof answer !== "object" || Array.isArray(answer)) return 0;
      return q.pairs.filter((p) => answer[p.id] === p.match).length / q.pairs.length;
    }
    default:
      return 0;
  }
}

export function scoreQuestion(q: Question, answer: Answer | undefined, manual?: number): QuestionScore {
  if (MANUAL_TYPES.includes(q.type)) {
    const answered = answer !== undefined;
    // An unanswered free-text question needs no marker: it scores 0.
    return {
      id: q.id,
      points: answered ? round2(Math.min(q.points, Math.max(0, manual ?? 0))) : 0,
      max: q.points,
      auto: false,
      pending: answered && manual === undefined,
    };
  }
  return { id: q.id, points: round2(fraction(q, answer) * q.points), max: q.points, auto: true, pending: false };
}

export type AttemptScore = {
  questions: QuestionScore[];
  score: number;
  max: number;
  percent: number;
  /**
   * null while marking is pending and could still change the outcome. When the
   * automatically marked questions alone reach the pass mark, the attempt has
   * passed whatever the trainer gives; when even full marks for the pending
   * answers cannot reach it, it has not.
   */
  passed: boolean | null;
  pending: number;
};

export function scoreAttempt(
  served: readonly ServedQuestion[],
  questions: ReadonlyMap<string, Question>,
  answers: Answers,
  manualMarks: Readonly<Record<string, number>>,
  settings: Pick<QuizSettings, "passMark" | "late">,
  { late }: { late: boolean } = { late: false },
): AttemptScore {
  const scored = served.flatMap((s) => {
    const q = questions.get(s.id);
    return q ? [scoreQuestion(q, answers[s.id], manualMarks[s.id])] : [];
  });
  const max = round2(scored.reduce((n, s) => n + s.max, 0));
  const pending = scored.filter((s) => s.pending).length;
  // A late submission under the "zero" rule is recorded, and scores nothing.
  const score = late && settings.late === "zero" ? 0 : round2(scored.reduce((n, s) => n + s.points, 0));
  const percent = max ? round2((score / max) * 100) : 0;
  const needed = (settings.passMark / 100) * max;
  const open = late && settings.late === "zero" ? 0 : scored.filter((s) => s.pending).reduce((n, s) => n + s.max, 0);
  const passed = pending === 0 ? percent >= settings.passMark : score >= needed ? true : score + open < needed ? false : null;
  return { questions: scored, score, max, percent, passed, pending };
}
