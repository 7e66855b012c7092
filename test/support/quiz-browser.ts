import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { parse } from "yaml";
import { allQuestions, type Question, QuizSchema } from "#app/domain/quiz/schema";

/** The answer key, read from the content file as an author would (the browser never gets it). */
function key(quizId: string): Map<string, Question> {
  const quiz = QuizSchema.parse(parse(readFileSync(`content/quizzes/${quizId}.yaml`, "utf8")));
  return new Map(allQuestions(quiz).map((q) => [q.id, q]));
}

/** Answers every question on the attempt page correctly, through the form controls. */
export async function answerCorrectly(page: Page, quizId: string) {
  const questions = key(quizId);
  for (const fieldset of await page.locator("fieldset.quiz-question").all()) {
    const id = ((await fieldset.getAttribute("id")) ?? "").replace(/^question-/, "");
    const q = questions.get(id);
    if (!q) throw new Error(`no key for question ${id}`);
    const name = `q.${q.id}`;
    switch (q.type) {
      case "single":
        await fieldset.locator(`input[name="${name}"][value="${q.options.find((o) => o.correct)?.id}"]`).check();
        break;
      case "multiple":
        for (const o of q.options) {
          const box = fieldset.locator(`input[name="${name}"][value="${o.id}"]`);
          if (o.correct) await box.check();
          else await box.uncheck();
        }
        break;
      case "true-false":
        await fieldset.locator(`input[name="${name}"][value="${String(q.answer)}"]`).check();
        break;
      case "ordering":
        for (const [i, item] of q.items.entries()) await fieldset.locator(`select[name="${name}.${item.id}"]`).selectOption(String(i + 1));
        break;
      case "matching":
        for (const p of q.pairs) await fieldset.locator(`select[name="${name}.${p.id}"]`).selectOption(p.match);
        break;
      default:
        for (const box of await fieldset.locator("textarea").all()) await box.fill("The pattern protects her from feeling rejected.");
    }
  }
}
