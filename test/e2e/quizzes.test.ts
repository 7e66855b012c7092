import { describe, expect, it } from "vitest";
import { browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();

describe("quizzes in the browser", () => {
  it("a trainee starts a quiz, saves, resumes the same paper and submits; a trainer marks; the result shows", async () => {
    const { page, problems } = await newPage(browser());
    // trainee2 is locked out by the rate-limit test in accounts.test.ts; trainee3 works through the course.
    await signIn(page, "trainee@attune.test", PASSWORD);
    await page.waitForURL(/\/$/);
    await page.goto("/modules/dit-in-context");
    await page.getByRole("link", { name: "Go to the quiz" }).click();
    await page.waitForURL(/\/quizzes\/dit-in-context-quiz$/);
    await page.getByRole("button", { name: "Start the quiz" }).click();
    await page.waitForURL(/\/attempts\//);
    const attemptUrl = page.url();

    // Answer the first question, save, and come back: the same paper, the answer kept.
    const questions = page.locator("fieldset.quiz-question");
    await expect.poll(() => questions.count()).toBeGreaterThanOrEqual(6);
    const firstLegendsBefore = await page.locator("fieldset.quiz-question .quiz-question__prompt").allTextContents();
    const firstChoice = questions.first().locator("input[type=radio], input[type=checkbox]").first();
    const hasChoice = (await firstChoice.count()) > 0;
    if (hasChoice) await firstChoice.check();
    await page.getByRole("button", { name: "Save and finish later" }).click();
    await expect.poll(() => page.getByText("Your answers are saved.").count()).toBe(1);
    await page.goto("/modules");
    await page.goto(attemptUrl);
    expect(await page.locator("fieldset.quiz-question .quiz-question__prompt").allTextContents()).toEqual(firstLegendsBefore);
    if (hasChoice) expect(await questions.first().locator("input:checked").count()).toBe(1);

    // No answer key in the page before submission.
    const html = await page.content();
    expect(html).not.toMatch(/"correct"|"modelAnswer"|"markingNotes"|"explanation"/);

    // Fill in every free-text box and submit.
    for (const box of await page.locator("fieldset.quiz-question textarea").all()) await box.fill("Her deference protects her from anger.");
    await page.getByRole("button", { name: "Submit answers" }).click();
    await page.waitForURL(attemptUrl);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Your result");
    await expect.poll(() => page.getByRole("status").first().textContent()).toMatch(/awaiting marking|scored/);
    // Attempts remain: the review judges only the trainee's own answers, and the page carries no key.
    const result = await page.content();
    expect(result).not.toMatch(/"correctOrder"|"correctMatches"|"modelAnswer"|Model answer/);
    expect(await page.locator(".quiz-review .is-correct:not(.is-chosen)").count()).toBe(0);
    await expect.poll(() => page.getByText(/While you can still try again/).count()).toBe(1);
    expect(problems).toEqual([]);

    // The trainee's trainer marks the free-text answer.
    const trainer = await newPage(browser());
    await signIn(trainer.page, "trainer@attune.test", PASSWORD);
    await trainer.page.waitForURL(/\/$/);
    await trainer.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Marking" }).click();
    await trainer.page.waitForURL(/\/marking$/);
    await trainer.page.getByRole("link", { name: "Rowan Trainee" }).first().click();
    await trainer.page.waitForURL(/\/marking\/[^/]+$/);
    await trainer.page
      .getByLabel(/^Mark \(0 to/)
      .first()
      .fill("1");
    await trainer.page.getByLabel("Feedback to the trainee").first().fill("A fair start: name the feeling.");
    await trainer.page.getByRole("button", { name: "Save marks and release to the trainee" }).click();
    await trainer.page.waitForURL(/\/marking$/);

    await page.reload();
    await expect.poll(() => page.getByText("A fair start: name the feeling.").count()).toBe(1);
  });

  it("item analysis shows trainers a table over their own cohorts, withholding small groups", async () => {
    const { page } = await newPage(browser());
    await signIn(page, "trainer@attune.test", PASSWORD);
    await page.waitForURL(/\/$/);
    await page.goto("/quizzes/dit-in-context-quiz/analysis");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/Item analysis/);
    expect(await page.locator("tbody tr").count()).toBeGreaterThanOrEqual(6);
    await expect.poll(() => page.getByText("Only attempts by trainees in the cohorts you train are included.").count()).toBe(1);
    await expect.poll(() => page.getByRole("note").filter({ hasText: "fewer than 5 attempts" }).count()).toBe(1);
  });
});
