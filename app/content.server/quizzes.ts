import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { micromark } from "micromark";
import { parse as parseYaml } from "yaml";
import { ContentError } from "#app/content.server/errors";
import { type Question, type Quiz, QuizSchema } from "#app/domain/quiz/schema";

/** Markdown → HTML (raw HTML in the source is escaped, never passed through). */
export function md(text: string): string {
  return micromark(text).trim();
}

/** Short Markdown (an option, a label) → inline HTML without the paragraph. */
export function mdInline(text: string): string {
  return md(text)
    .replace(/^<p>([\s\S]*)<\/p>$/, "$1")
    .trim();
}

export function quizFiles(root: string): string[] {
  const dir = path.join(root, "quizzes");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Reads and validates one quiz file (text still Markdown). */
export function readQuiz(file: string): Quiz {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? null;
    throw new ContentError(file, line, `not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const parsed = QuizSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContentError(file, null, `${issue?.path.join(".") || "quiz"}: ${issue?.message}`);
  }
  if (path.basename(file, ".yaml") !== parsed.data.id)
    throw new ContentError(file, null, `the file should be named ${parsed.data.id}.yaml`);
  return parsed.data;
}

function renderQuestion(q: Question): Question {
  const common = { prompt: md(q.prompt) };
  switch (q.type) {
    case "single":
    case "multiple":
      return {
        ...q,
        ...common,
        options: q.options.map((o) => ({ ...o, text: mdInline(o.text), feedback: o.feedback && md(o.feedback) })),
        explanation: q.explanation && md(q.explanation),
      };
    case "true-false":
      return {
        ...q,
        ...common,
        feedback: q.feedback && {
          true: q.feedback.true && md(q.feedback.true),
          false: q.feedback.false && md(q.feedback.false),
        },
        explanation: q.explanation && md(q.explanation),
      };
    case "ordering":
      return {
        ...q,
        ...common,
        items: q.items.map((i) => ({ ...i, text: mdInline(i.text) })),
        explanation: q.explanation && md(q.explanation),
      };
    case "matching":
      // Labels stay plain text: they are the answer values.
      return {
        ...q,
        ...common,
        pairs: q.pairs.map((p) => ({ ...p, prompt: mdInline(p.prompt) })),
        explanation: q.explanation && md(q.explanation),
      };
    case "short-text":
      return { ...q, ...common, modelAnswer: md(q.modelAnswer), markingNotes: q.markingNotes && md(q.markingNotes) };
    case "ipaf":
      return {
        ...q,
        ...common,
        modelAnswer: {
          self: md(q.modelAnswer.self),
          other: md(q.modelAnswer.other),
          affect: md(q.modelAnswer.affect),
          defence: md(q.modelAnswer.defence),
        },
        markingNotes: q.markingNotes && md(q.markingNotes),
      };
  }
}

/** The quiz with every Markdown field rendered to HTML (done once, at build time). */
export function renderQuiz(quiz: Quiz): Quiz {
  return {
    ...quiz,
    intro: quiz.intro && md(quiz.intro),
    vignettes: quiz.vignettes.map((v) => ({ ...v, text: md(v.text) })),
    questions: quiz.questions.map(renderQuestion),
    pools: quiz.pools.map((p) => ({ ...p, questions: p.questions.map(renderQuestion) })),
  };
}

export function compileQuizzes(root: string): Quiz[] {
  return quizFiles(root).map((f) => renderQuiz(readQuiz(f)));
}
