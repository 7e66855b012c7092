import { z } from "zod";
import { TEXT_MAX } from "#app/domain/quiz/answers";

/**
 * The marking rule for free-text and IPAF answers: a trainer gives 0 to the
 * question's points, in steps of half a mark, written as a plain decimal
 * ("2", "2.5", "0.5"). Anything else is refused with a message the form shows
 * beside the mark.
 */
export const MARK_STEP = 0.5;

export function markMessage(max: number): string {
  return `Give a mark from 0 to ${max}, in steps of ${MARK_STEP}.`;
}

/** The mark written in a form field, or null when it breaks the rule. */
export function readMark(raw: string, max: number): number | null {
  const text = raw.trim();
  if (!/^[0-9]{1,3}(\.[0-9]{1,2})?$/.test(text)) return null;
  const points = Number(text);
  if (points < 0 || points > max) return null;
  if (Math.round(points / MARK_STEP) * MARK_STEP !== points) return null;
  return points;
}

export type MarkedQuestion = { id: string; points: number };

/**
 * The marking form of one attempt: `points.<questionId>` (required, the rule
 * above) and `feedback.<questionId>` (optional, at most TEXT_MAX characters)
 * per manually marked question that was answered. Field errors are keyed by
 * question id.
 */
export function markingFormSchema(questions: readonly MarkedQuestion[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const q of questions) {
    shape[`points.${q.id}`] = z.string({ error: markMessage(q.points) }).transform((raw, ctx) => {
      const points = readMark(raw, q.points);
      if (points === null) {
        ctx.addIssue({ code: "custom", message: markMessage(q.points) });
        return z.NEVER;
      }
      return points;
    });
    shape[`feedback.${q.id}`] = z
      .string({ error: "Write the feedback as text." })
      .max(TEXT_MAX, `Keep the feedback under ${TEXT_MAX} characters.`)
      .optional();
  }
  return z
    .object(shape)
    .passthrough()
    .transform((form) =>
      Object.fromEntries(
        questions.map((q) => [
          q.id,
          { points: form[`points.${q.id}`] as number, feedback: ((form[`feedback.${q.id}`] as string | undefined) ?? "").trim() },
        ]),
      ),
    );
}
