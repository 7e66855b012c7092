import { describe, expect, it } from "vitest";
import { browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";
import { answerCorrectly } from "../support/quiz-browser";

const browser = browserPerFile();

/** From a module page: open its quiz, answer it correctly, submit, see "Passed", and come back. */
async function passQuiz(page: import("playwright-core").Page, moduleSlug: string) {
  await page.getByRole("link", { name: "Go to the quiz" }).click();
  await page.waitForURL(new RegExp(`/quizzes/${moduleSlug}-quiz$`));
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await page.waitForURL(/\/attempts\//);
  await expect.poll(() => page.locator("fieldset.quiz-question").count()).toBeGreaterThanOrEqual(6);
  await answerCorrectly(page, `${moduleSlug}-quiz`);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Your result");
  // The free-text answer still waits for a trainer, but the automatic marks pass the quiz.
  await expect.poll(() => page.getByRole("status").first().textContent()).toMatch(/awaiting marking/);
  expect(await page.locator(".quiz-review .is-correct").count()).toBeGreaterThan(0);
  await page.goto(`/modules/${moduleSlug}`);
  await expect.poll(() => page.getByText("You have submitted it.").count()).toBe(1);
}

describe("the course in the browser", () => {
  it("a trainee reads, reflects, searches and completes modules in order; progress survives a restart", async () => {
    const { page, problems } = await newPage(browser());
    await signIn(page, "trainee3@attune.test", PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Course" }).click();
    await page.waitForURL(/\/modules$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/the course/);
    const cards = page.locator(".module-card");
    await expect.poll(() => cards.count()).toBe(12);
    await expect.poll(() => cards.nth(1).locator(".badge").first().textContent()).toBe("Locked");

    await page.getByRole("link", { name: /^Start: DIT in context/ }).click();
    await page.waitForURL(/\/modules\/dit-in-context$/);
    // Table of contents links jump within the page.
    const toc = page.getByRole("navigation", { name: "On this page" });
    const secondLink = toc.getByRole("link").nth(2);
    const target = (await secondLink.getAttribute("href")) ?? "";
    await secondLink.click();
    await page.waitForURL(new RegExp(`${target}$`));
    await expect.poll(() => page.locator(target).count()).toBe(1);

    // A private reflection, saved and still there after a reload.
    const reflection = page.getByLabel("Your private answer (only you can read it)").first();
    await reflection.fill("I notice I rush to reassure.");
    await page.getByRole("button", { name: "Save to journal" }).first().click();
    await expect.poll(() => page.getByText("Saved to your journal.").count()).toBe(1);
    await page.reload();
    await expect
      .poll(() => page.getByLabel("Your private answer (only you can read it)").first().inputValue())
      .toBe("I notice I rush to reassure.");

    // The module's quiz must be passed first.
    expect(await page.getByRole("button", { name: "Mark this module complete" }).isDisabled()).toBe(true);
    await passQuiz(page, "dit-in-context");
    await page.getByRole("button", { name: "Mark this module complete" }).click();
    await page.waitForURL(/\/modules\/dit-in-context\?completed=1$/);
    await expect.poll(() => page.getByRole("status").first().textContent()).toMatch(/Module completed/);
    await page
      .getByRole("link", { name: /Core features/, exact: false })
      .last()
      .click();
    await page.waitForURL(/\/modules\/core-features$/);
    await passQuiz(page, "core-features");
    await page.getByRole("button", { name: "Mark this module complete" }).click();
    await page.waitForURL(/\?completed=1$/);

    // The third module is open; the fourth is still locked and cannot be completed.
    await page.goto("/modules/the-ipaf");
    await expect.poll(() => page.getByRole("button", { name: "Mark this module complete" }).isDisabled()).toBe(true);

    // Search.
    await page.goto("/modules");
    await page.getByLabel("Search the course").fill("goodbye letter");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/modules\/search\?q=goodbye\+letter/);
    await expect.poll(() => page.locator(".search-results li").count()).toBeGreaterThan(0);
    await page.locator(".search-results a").first().click();
    await page.waitForURL(/\/modules\/ending-phase#/);

    // The journal shows the reflection.
    await page.goto("/journal");
    await expect.poll(() => page.locator(".journal-entry__text").first().textContent()).toBe("I notice I rush to reassure.");
    expect(problems).toEqual([]);
    // Several instances share state only on PostgreSQL (a second server on this SQLite file is refused):
    // see test/e2e/instances.test.ts.
  });

  it("a trainer sees the cohort's progress grid and downloads it as CSV", async () => {
    const { page } = await newPage(browser());
    await signIn(page, "trainer2@attune.test", PASSWORD);
    await page.waitForURL(/\/$/);
    // Theo trains two cohorts (the seed's past one too): the link of this winter's.
    await page
      .getByRole("listitem")
      .filter({ hasText: "DIT practitioner course — winter 2026" })
      .getByRole("link", { name: "Course progress of this cohort" })
      .click();
    await page.waitForURL(/\/cohorts\/[^/]+\/progress$/);
    const rows = page.locator("table.grid-table tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download as CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^progress-.*\.csv$/);
  });
});
