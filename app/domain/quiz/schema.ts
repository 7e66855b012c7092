import { z } from "zod";

/**
 * The quiz file format (content/quizzes/<id>.yaml; documented in
 * docs/content.md). Text fields are Markdown, rendered to HTML at build time.
 */
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lower-case kebab-case");

const base = {
  id: kebab,
  vignette: kebab.optional(),
  points: z.number().positive().max(100).default(1),
  prompt: z.string().min(3),
};

const Option = z
  .object({ id: kebab, text: z.string().min(1), correct: z.boolean().default(false), feedback: z.string().optional() })
  .strict();

export const QuestionSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("single"), options: z.array(Option).min(2).max(8), explanation: z.string().optional() }).strict(),
  z.object({ ...base, type: z.literal("multiple"), options: z.array(Option).min(2).max(10), explanation: z.string().optional() }).strict(),
  z
    .object({
      ...base,
      type: z.literal("true-false"),
      answer: z.boolean(),
      feedback: z.object({ true: z.string().optional(), false: z.string().optional() }).strict().optional(),
      explanation: z.string().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal("ordering"),
      items: z
        .array(z.object({ id: kebab, text: z.string().min(1) }).strict())
        .min(3)
        .max(10),
      explanation: z.string().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal("matching"),
      pairs: z
        .array(z.object({ id: kebab, prompt: z.string().min(1), match: z.string().min(1) }).strict())
        .min(3)
        .max(10),
      explanation: z.string().optional(),
    })
    .strict(),
  z.object({ ...base, type: z.literal("short-text"), modelAnswer: z.string().min(3), markingNotes: z.string().optional() }).strict(),
  z
    .object({
      ...base,
      type: z.literal("ipaf"),
      modelAnswer: z.object({ self: z.string(), other: z.string(), affect: z.string(), defence: z.string() }).strict(),
      markingNotes: z.string().optional(),
    })
    .strict(),
]);

export type Question = z.infer<typeof QuestionSchema>;
export type QuestionType = Question["type"];
export const MANUAL_TYPES: readonly QuestionType[] = ["short-text", "ipaf"];
export const IPAF_PARTS = ["self", "other", "affect", "defence"] as const;
export type IpafPart = (typeof IPAF_PARTS)[number];
/** The course's four-part working model of the IPAF, as the forms and marking pages name its parts. */
export const IPAF_PART_LABELS: Record<IpafPart, string> = {
  self: "Self representation",
  other: "Other representation",
  affect: "Linking affect",
  defence: "Defensive function",
};

export const QuizSettingsSchema = z
  .object({
    passMark: z.number().min(1).max(100),
    attempts: z.number().int().min(0).max(100),
    cooldownMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .default(0),
    timeLimitMinutes: z.number().int().positive().max(600).optional(),
    late: z.enum(["accept", "zero"]).default("zero"),
    review: z.enum(["immediately", "after-close", "never"]).default("immediately"),
    shuffleOptions: z.boolean().default(true),
    /**
     * formative: the pass mark is guidance, and the module counts the quiz as done once an attempt is submitted
     * with every question answered (manual marking never holds the module up); summative: pass or fail decides.
     * Absent: formative for a module quiz, summative for a course-wide one (see ADR 0009).
     */
    purpose: z.enum(["formative", "summative"]).optional(),
  })
  .strict();

export type QuizPurpose = "formative" | "summative";

export const QuizSchema = z
  .object({
    id: kebab,
    version: z.number().int().positive(),
    module: kebab.optional(),
    title: z.string().min(3),
    intro: z.string().optional(),
    settings: QuizSettingsSchema,
    vignettes: z.array(z.object({ id: kebab, title: z.string().min(1), text: z.string().min(20) }).strict()).default([]),
    questions: z.array(QuestionSchema).default([]),
    pools: z
      .array(z.object({ id: kebab, draw: z.number().int().positive(), questions: z.array(QuestionSchema).min(1) }).strict())
      .default([]),
  })
  .strict()
  .superRefine((quiz, ctx) => {
    const ids = new Set<string>();
    const vignettes = new Set(quiz.vignettes.map((v) => v.id));
    const all = [...quiz.questions, ...quiz.pools.flatMap((p) => p.questions)];
    for (const q of all) {
      if (ids.has(q.id)) ctx.addIssue({ code: "custom", message: `question id "${q.id}" is used twice`, path: ["questions"] });
      ids.add(q.id);
      if (q.vignette && !vignettes.has(q.vignette)) {
        ctx.addIssue({ code: "custom", message: `question "${q.id}" refers to unknown vignette "${q.vignette}"`, path: ["questions"] });
      }
      if (q.type === "single" && q.options.filter((o) => o.correct).length !== 1) {
        ctx.addIssue({ code: "custom", message: `single-choice question "${q.id}" needs exactly one correct option`, path: ["questions"] });
      }
      if (q.type === "multiple" && q.options.filter((o) => o.correct).length < 1) {
        ctx.addIssue({ code: "custom", message: `multiple-response question "${q.id}" needs a correct option`, path: ["questions"] });
      }
      if ((q.type === "single" || q.type === "multiple") && new Set(q.options.map((o) => o.id)).size !== q.options.length) {
        ctx.addIssue({ code: "custom", message: `question "${q.id}" repeats an option id`, path: ["questions"] });
      }
      if (q.type === "matching" && new Set(q.pairs.map((p) => p.match)).size < 2) {
        ctx.addIssue({ code: "custom", message: `matching question "${q.id}" needs at least two different labels`, path: ["questions"] });
      }
    }
    for (const p of quiz.pools) {
      if (p.draw > p.questions.length) {
        ctx.addIssue({ code: "custom", message: `pool "${p.id}" draws ${p.draw} of ${p.questions.length} questions`, path: ["pools"] });
      }
    }
    const served = quiz.questions.length + quiz.pools.reduce((n, p) => n + p.draw, 0);
    if (served < 1) ctx.addIssue({ code: "custom", message: "a quiz needs questions", path: ["questions"] });
    if (quiz.module && served < 6)
      ctx.addIssue({
        code: "custom",
        message: `a module quiz serves at least 6 questions (this one serves ${served})`,
        path: ["questions"],
      });
  })
  .transform((quiz) => ({
    ...quiz,
    settings: { ...quiz.settings, purpose: quiz.settings.purpose ?? (quiz.module ? "formative" : "summative") } as typeof quiz.settings & {
      purpose: QuizPurpose;
    },
  }));

export type Quiz = z.infer<typeof QuizSchema>;
export type QuizSettings = Quiz["settings"];

export function allQuestions(quiz: Pick<Quiz, "questions" | "pools">): Question[] {
  return [...quiz.questions, ...quiz.pools.flatMap((p) => p.questions)];
}
