import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { currentFramework } from "#app/content.server/frameworks.server";
import { phaseOf } from "#app/domain/phases";
import { applicableItems } from "#app/domain/rating-rules";
import { CALIBRATION_SESSIONS, calibrationReference } from "../../scripts/seed-ratings";
import { browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

// The demo seed (scripts/seed-ratings.ts) has three calibration recordings of case P-2101 with reference ratings,
// 36 double-rated recordings of past trainees, and trainer3 (Noor Newtrainer), a trainer not yet calibrated. The
// scores entered come from the seed's reference ratings, never from the page.
const browser = browserPerFile();
const framework = currentFramework();

async function scoreItems(page: Page, scores: Record<string, number>) {
  for (const item of framework.items) {
    const score = scores[item.id];
    if (score === undefined) continue;
    const group = page.getByRole("group", { name: new RegExp(`^\\d+\\. ${item.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) });
    await group.getByRole("radio", { name: new RegExp(`^${score} — `) }).check();
  }
}

describe("rater calibration in the browser", () => {
  it("a new trainer is gated by calibration, rates two calibration recordings, passes and becomes calibrated", async () => {
    const { page, problems } = await newPage(browser());
    await signIn(page, "trainer3@attune.test", PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calibration" }).click();
    await page.waitForURL(/\/calibration$/);
    const status = page.getByTestId("calibration-status");
    await status.waitFor();
    expect(await status.textContent()).toMatch(
      /Not calibrated yet: 0 of 2 calibration recordings passed.*cannot be assigned summative recordings/,
    );

    for (const session of CALIBRATION_SESSIONS.slice(0, 2)) {
      await page
        .getByRole("row", { name: new RegExp(`session ${session} `) })
        .getByRole("link", { name: "Rate this recording" })
        .click();
      await page.getByRole("button", { name: "Start rating this recording" }).click();
      const submit = page.getByRole("button", { name: "Submit my calibration rating" });
      await submit.waitFor();
      // Submitting with nothing scored names every item that needs a score.
      await submit.click();
      await page.getByRole("heading", { name: "There is a problem" }).waitFor();
      const applicable = applicableItems(framework, phaseOf(session).id);
      expect(await page.getByRole("alert").getByRole("listitem").count()).toBe(applicable.length);
      await scoreItems(page, calibrationReference(framework, session));
      await page.getByRole("button", { name: "Submit my calibration rating" }).click();
      const result = page.getByTestId("calibration-result");
      await result.waitFor();
      expect(await result.textContent()).toMatch(
        /^Passed: 100% of the items were within 1 point of the reference, with the same competence judgement/,
      );
      await page.getByRole("link", { name: "← Calibration" }).click();
      await page.waitForURL(/\/calibration$/);
    }
    await page.getByTestId("calibration-status").waitFor();
    expect(await page.getByTestId("calibration-status").textContent()).toMatch(
      /^Calibrated since \d{4}-\d{2}-\d{2}: you can be assigned summative recordings/,
    );

    // The moderators' page lists Noor as calibrated now.
    const { page: moderator } = await newPage(browser());
    await signIn(moderator, "moderator@attune.test", PASSWORD);
    await moderator.getByRole("button", { name: "Sign out" }).waitFor();
    await moderator.goto("/calibration/manage");
    const row = moderator.getByRole("table", { name: /Trainers and moderators/ }).getByRole("row", { name: /Noor Newtrainer/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Since \d{4}-\d{2}-\d{2}/);

    // The two forms submitted empty answered 400 (as they should); nothing else went wrong.
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  });

  it("the reliability page shows figures from the double-rated recordings, with a CSV; a trainee's profile renders", async () => {
    const { page, problems } = await newPage(browser());
    await signIn(page, "moderator@attune.test", PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reliability" }).click();
    await page.getByRole("heading", { level: 1, name: "Rater reliability" }).waitFor();
    const items = page.getByRole("table", { name: /Inter-rater reliability per item/ });
    await items.waitFor();
    const csv = await page.request.get((await page.getByRole("link", { name: /Download the paired scores/ }).getAttribute("href")) ?? "");
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^framework,version,recording,item,primary_rater/);
    expect(lines.length).toBeGreaterThan(36 * 9);
    // Every item that applies to the rated sessions has a figure (a number, not a dash), over as many recordings as
    // the CSV pairs for it: the seed's 36 double-rated recordings, and any another e2e file has rated since (the
    // lane's files share one server and run in no fixed order).
    const header = (lines[0] as string).split(",");
    const col = (name: string) => header.indexOf(name);
    const pairedEngagement = lines
      .slice(1)
      .map((l) => l.split(","))
      .filter((f) => f[col("item")] === "engagement-alliance" && f[col("primary_score")] !== "" && f[col("second_score")] !== "");
    expect(pairedEngagement.length).toBeGreaterThanOrEqual(36);
    const first = items.getByRole("row", { name: /Engagement and alliance/ });
    expect(await first.getByRole("cell").nth(0).textContent()).toBe(String(pairedEngagement.length));
    expect(await first.getByRole("cell").nth(1).textContent()).toMatch(/^-?\d\.\d\d$/);
    expect(await page.getByRole("table", { name: "Weighted kappa per rater pair" }).getByRole("row").count()).toBe(4);
    expect(
      await page
        .getByRole("table", { name: "Severity per rater" })
        .getByRole("row", { name: /Theo Trainer/ })
        .count(),
    ).toBe(1);
    await page.getByRole("img", { name: /Rater severity by month/ }).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Competence" }).click();
    await page.getByRole("link", { name: "Alex Harper" }).click();
    await page.getByRole("heading", { level: 1, name: "Competence profile: Alex Harper" }).waitFor();
    await page
      .getByRole("img", { name: /^Working with the relationship and transference/ })
      .first()
      .waitFor();
    const table = page.getByRole("table", { name: /Final scores per item/ });
    expect(await table.getByRole("columnheader").count()).toBe(1 + 6);
    expect(await table.getByRole("row", { name: /Managing the ending/ }).textContent()).toMatch(/n\/a/);
    expect(problems).toEqual([]);
  });
});
