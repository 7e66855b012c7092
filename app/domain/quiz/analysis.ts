import type { Answers } from "#app/domain/quiz/answers";
import type { Question } from "#app/domain/quiz/schema";
import { fraction } from "#app/domain/quiz/score";

/**
 * Item analysis over completed attempts of one quiz version:
 * - facility index: the mean share of the marks earned (0 = nobody, 1 = everybody);
 * - discrimination index: facility in the top 27 % of attempts (by total score)
 *   minus facility in the bottom 27 %; negative means weaker candidates do better;
 * - choice frequencies for single, multiple and true/false questions.
 * Flags follow common practice: facility above 0.9 (too easy) or below 0.3 (too
 * hard), discrimination below 0 (negative) or below 0.2 (weak).
 *
 * Small groups are not reported: an item answered by fewer than `minGroup`
 * attempts (default MIN_GROUP_SIZE) shows no facility, discrimination or
 * choice counts — only that there are too few responses — so a trainer of a
 * small cohort cannot read individual trainees' answers out of the counts.
 */
export type AnalysedAttempt = { percent: number; answers: Answers; served: readonly string[]; manual: Readonly<Record<string, number>> };

export type ItemStats = {
  id: string;
  type: Question["type"];
  responses: number;
  facility: number | null;
  discrimination: number | null;
  /** Choice counts; count is null when the item's group is too small to report. */
  choices: { id: string; label: string; count: number | null; correct: boolean }[];
  /** True when the item's group is below the minimum size and its figures are withheld. */
  suppressed: boolean;
  flags: ("too-easy" | "too-hard" | "negative-discrimination" | "weak-discrimination" | "too-few-responses")[];
};

/** The smallest group whose figures are reported (item analysis of a cohort's attempts). */
export const MIN_GROUP_SIZE = 5;
const round2 = (n: number) => Math.round(n * 100) / 100;

function earned(q: Question, a: AnalysedAttempt): number {
  if (q.type === "short-text" || q.type === "ipaf") return q.points ? (a.manual[q.id] ?? 0) / q.points : 0;
  return fraction(q, a.answers[q.id]);
}

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
}

export function analyseItems(
  questions: readonly Question[],
  attempts: readonly AnalysedAttempt[],
  { minGroup = MIN_GROUP_SIZE }: { minGroup?: number } = {},
): ItemStats[] {
  const ranked = [...attempts].sort((x, y) => y.percent - x.percent);
  const groupSize = Math.max(1, Math.round(ranked.length * 0.27));
  const upper = ranked.slice(0, groupSize);
  const lower = ranked.slice(-groupSize);

  return questions.map((q) => {
    const took = attempts.filter((a) => a.served.includes(q.id));
    const facility = mean(took.map((a) => earned(q, a)));
    const up = mean(upper.filter((a) => a.served.includes(q.id)).map((a) => earned(q, a)));
    const low = mean(lower.filter((a) => a.served.includes(q.id)).map((a) => earned(q, a)));
    const discrimination = ranked.length >= 2 && up !== null && low !== null ? up - low : null;

    let choices: ItemStats["choices"] = [];
    if (q.type === "single" || q.type === "multiple") {
      choices = q.options.map((o) => ({
        id: o.id,
        label: o.text,
        correct: o.correct,
        count: took.filter((a) => {
          const ans = a.answers[q.id];
          return Array.isArray(ans) ? ans.includes(o.id) : ans === o.id;
        }).length,
      }));
    } else if (q.type === "true-false") {
      choices = ["true", "false"].map((v) => ({
        id: v,
        label: v === "true" ? "True" : "False",
        correct: String(q.answer) === v,
        count: took.filter((a) => a.answers[q.id] === v).length,
      }));
    }

    const flags: ItemStats["flags"] = [];
    const suppressed = took.length < minGroup;
    if (suppressed) {
      return {
        id: q.id,
        type: q.type,
        responses: took.length,
        facility: null,
        discrimination: null,
        choices: choices.map((c) => ({ ...c, count: null })),
        suppressed,
        flags: ["too-few-responses"],
      };
    }
    if (facility !== null && facility > 0.9) flags.push("too-easy");
    if (facility !== null && facility < 0.3) flags.push("too-hard");
    if (discrimination !== null && discrimination < 0) flags.push("negative-discrimination");
    else if (discrimination !== null && discrimination < 0.2) flags.push("weak-discrimination");
    return {
      id: q.id,
      type: q.type,
      responses: took.length,
      facility: facility === null ? null : round2(facility),
      discrimination: discrimination === null ? null : round2(discrimination),
      choices,
      suppressed,
      flags,
    };
  });
}
