import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { parse } from "yaml";
import { mdInline } from "#app/content.server/quizzes";
import { allQuestions, type Question, QuizSchema } from "#app/domain/quiz/schema";

/** The answer key, read from the content file as an author would (the browser never gets it). */
function key(quizId: string): Map<string, Question> {
  const quiz = QuizSchema.parse(parse(readFileSync(`content/quizzes/${quizId}.yaml`, "utf8")));
  return new Map(allQuestions(quiz).map((q) => [q.id, q]));
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

/** What a reader sees of a Markdown snippet: rendered, tags dropped, whitespace collapsed. */
function visible(markdown: string): string {
  return mdInline(markdown)
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#x27|#39);/g, (m) => ENTITIES[m] ?? m)
    .replace(/\s+/g, " ")
    .trim();
}

/** The visible text of a label (or row) without the text of the controls inside it. */
function ownText(el: Locator): Promise<string> {
  return el.evaluate((node) => {
    const copy = node.cloneNode(true) as HTMLElement;
    for (const control of copy.querySelectorAll("select, input, textarea")) control.remove();
    return (copy.textContent ?? "").replace(/\s+/g, " ").trim();
  });
}

/** The element among `candidates` whose own text is exactly `text` (as a reader would pick it). */
async function byText(candidates: Locator, text: string): Promise<Locator> {
  for (const candidate of await candidates.all()) if ((await ownText(candidate)) === text) return candidate;
  throw new Error(`nothing labelled "${text}"`);
}

/**
 * Answers every question on the attempt page correctly, through the form
 * controls, choosing options, items and statements by their visible text —
 * the page's ids are opaque tokens of the attempt.
 */
export async function answerCorrectly(page: Page, quizId: string) {
  const questions = key(quizId);
  for (const fieldset of await page.locator("fieldset.quiz-question").all()) {
    const id = ((await fieldset.getAttribute("id")) ?? "").replace(/^question-/, "");
    const q = questions.get(id);
    if (!q) throw new Error(`no key for question ${id}`);
    switch (q.type) {
      case "single":
        await (await byText(fieldset.locator("label"), visible(q.options.find((o) => o.correct)?.text ?? ""))).locator("input").check();
        break;
      case "multiple":
        for (const o of q.options) {
          const box = (await byText(fieldset.locator("label"), visible(o.text))).locator("input");
          if (o.correct) await box.check();
          else await box.uncheck();
        }
        break;
      case "true-false":
        await (await byText(fieldset.locator("label"), q.answer ? "True" : "False")).locator("input").check();
        break;
      case "ordering":
        for (const [i, item] of q.items.entries()) {
          await (await byText(fieldset.locator("li label"), visible(item.text))).locator("select").selectOption(String(i + 1));
        }
        break;
      case "matching":
        for (const p of q.pairs) await (await byText(fieldset.locator("tr"), visible(p.prompt))).locator("select").selectOption(p.match);
        break;
      default:
        for (const box of await fieldset.locator("textarea").all()) await box.fill("The pattern protects her from feeling rejected.");
    }
  }
}
