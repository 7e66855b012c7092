import { z } from "zod";
import { type Framework, type FrameworkItem, scalePoints } from "#app/domain/framework";
import type { PhaseId } from "#app/domain/phases";
import { applicableItems } from "#app/domain/rating-rules";

/**
 * The forms of the rating workflow (docs/rating.md): the rater's rating form
 * (a score and a note per applicable item, overall feedback), a time-stamped
 * comment, and the moderator's final rating. Field names: `score.<itemId>`
 * (a radio group, "" = not scored yet), `note.<itemId>`, `overallFeedback`.
 * Pure: the framework is given.
 */

export const NOTE_MAX = 2000;
export const FEEDBACK_MAX = 5000;
export const COMMENT_MAX = 2000;

/** "1:23" → 83, "1:02:03" → 3723, "75" → 75; null for anything else (negative, 1:75, words). */
export function parseClock(text: string): number | null {
  const t = text.trim();
  if (/^\d{1,6}(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(?:(\d{1,3}):)?(\d{1,3}):(\d{2})$/.exec(t);
  if (!m) return null;
  const [h, mm, ss] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (ss > 59 || (m[1] !== undefined && mm > 59)) return null;
  return h * 3600 + mm * 60 + ss;
}

export type RatingFormData = {
  scores: Record<string, number | null>;
  notes: Record<string, string>;
  overallFeedback: string;
};

const scoreField = (min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === "" ? null : v))
    .refine((v) => v === null || (/^-?\d+$/.test(v) && Number(v) >= min && Number(v) <= max), `Choose a score from ${min} to ${max}`)
    .transform((v) => (v === null ? null : Number(v)));

const noteField = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim())
  .refine((v) => v.length <= NOTE_MAX, `Keep a note under ${NOTE_MAX} characters`);

const feedbackField = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim())
  .refine((v) => v.length <= FEEDBACK_MAX, `Keep the feedback under ${FEEDBACK_MAX} characters`);

/**
 * The rating form: one optional score and note per applicable item, and the
 * overall feedback. Scores outside the scale are field errors; completeness
 * (every item scored) is checked on submission by `validateScores`.
 */
export function RatingFormSchema(framework: Framework, phase: PhaseId | null) {
  const items = applicableItems(framework, phase);
  const shape: Record<string, z.ZodType> = { overallFeedback: feedbackField };
  for (const item of items) {
    shape[`score.${item.id}`] = scoreField(framework.scale.min, framework.scale.max);
    shape[`note.${item.id}`] = noteField;
  }
  return z.object(shape).transform((v): RatingFormData => {
    const values = v as Record<string, unknown>;
    return {
      scores: Object.fromEntries(items.map((i) => [i.id, values[`score.${i.id}`] as number | null])),
      notes: Object.fromEntries(items.map((i) => [i.id, values[`note.${i.id}`] as string])),
      overallFeedback: values.overallFeedback as string,
    };
  });
}

/** The moderator's form adds a rationale (required) to the rating form (whose overall feedback the trainee reads). */
export const RationaleSchema = z.object({
  rationale: z
    .string({ error: "Give the rationale for the final rating" })
    .trim()
    .min(1, "Give the rationale for the final rating")
    .max(FEEDBACK_MAX, `Keep the rationale under ${FEEDBACK_MAX} characters`),
});

/**
 * A time-stamped comment: the moment (`at`, m:ss; within the recording when
 * its length is known), an optional framework item, and the text.
 */
export function CommentSchema(framework: Framework, phase: PhaseId | null, durationSeconds: number | null) {
  const ids = applicableItems(framework, phase).map((i) => i.id);
  return z.object({
    at: z
      .string({ error: "Enter the time as m:ss" })
      .transform((v) => parseClock(v))
      .refine((v): v is number => v !== null, "Enter the time as m:ss, e.g. 4:05")
      .refine(
        (v) => v === null || durationSeconds === null || v <= Math.ceil(durationSeconds),
        "That time is after the end of the recording",
      ),
    itemId: z
      .string()
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || ids.includes(v), "Choose an item of this rating, or none"),
    body: z
      .string({ error: "Write the comment" })
      .trim()
      .min(1, "Write the comment")
      .max(COMMENT_MAX, `Keep a comment under ${COMMENT_MAX} characters`),
  });
}

/** An item as the pages show it: its domain's title and its level descriptors low to high. */
export function itemView(framework: Framework, item: FrameworkItem) {
  return {
    id: item.id,
    title: item.title,
    domain: framework.domains.find((d) => d.id === item.domain)?.title ?? item.domain,
    description: item.description,
    keyFeatures: [...item.keyFeatures],
    levels: scalePoints(framework).map((point) => ({ point, text: item.levels[point] ?? "" })),
  };
}

/** The scale with its named anchors, low to high. */
export function scaleView(framework: Framework) {
  const { min, max, anchors } = framework.scale;
  return {
    min,
    max,
    anchors: scalePoints(framework)
      .filter((p) => anchors[p] !== undefined)
      .map((point) => ({ point, text: anchors[point] as string })),
  };
}

/** Item titles by id (every item of the framework), for labelling comments and reasons. */
export function itemTitles(framework: Framework): Record<string, string> {
  return Object.fromEntries(framework.items.map((i) => [i.id, i.title]));
}

/**
 * A rating item by item for display: every applicable item with its score and
 * that score's level descriptor (and the rating's note on it, if any).
 */
export function scoreRows(
  framework: Framework,
  phase: PhaseId | null,
  scores: readonly { itemId: string; score: number | null; note?: string }[],
) {
  return applicableItems(framework, phase).map((item) => {
    const row = scores.find((s) => s.itemId === item.id);
    const score = row?.score ?? null;
    return {
      itemId: item.id,
      title: item.title,
      score,
      descriptor: score === null ? null : (item.levels[score] ?? null),
      note: row?.note ?? "",
    };
  });
}
