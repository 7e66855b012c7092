// The rating workflow in Chromium, on the seeded demo recording (Rowan's case C-0417, session 1), whose primary rater
// is Tess (the case supervisor) and blind second rater Theo (scripts/seed.ts): Tess rates with scripts (comment at the
// current time by keyboard, drafts saved as she goes); Theo rates without JavaScript and cannot see anything of
// Tess's rating, not even in the pages' `.data` JSON; they disagree, so Morgan moderates, seeing both side by side;
// Rowan then reads the final rating and clicks a comment, which seeks the player.
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();

const TESS_COMMENT = "Warm, collaborative opening; the IPAF is named";
const TESS_FEEDBACK = "A clear initial session with a well-shared focus";
const THEO_COMMENT = "Interprets before the alliance is there";

/** Checks the radio of `point` in every item fieldset of the form. */
async function scoreEveryItem(page: Page, point: number) {
  const items = page.locator("fieldset.rating-item");
  const count = await items.count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) {
    await items.nth(i).locator(`input[type="radio"][value="${point}"]`).check();
  }
  return count;
}

async function signedIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, email, PASSWORD);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

describe("rating a recording in the browser", () => {
  it("two blind raters disagree, a moderator settles, the trainee reads the final rating and a comment seeks the player", async () => {
    // ---- Tess, the primary rater, with JavaScript.
    const { page: tess, problems } = await newPage(browser());
    await signIn(tess, "trainer@attune.test", PASSWORD);
    await tess.getByRole("heading", { name: "Recordings to rate" }).waitFor();
    await tess
      .getByTestId("home-to-rate")
      .getByRole("link", { name: /Case C-0417, session 1/ })
      .click();
    await tess.getByRole("heading", { level: 1, name: "Rating: Case C-0417, session 1" }).waitFor();
    const tessUrl = new URL(tess.url()).pathname;
    const player = tess.getByTestId("player");
    await player.evaluate(
      (el: HTMLMediaElement) =>
        new Promise((resolve) => (el.readyState >= 1 ? resolve(null) : el.addEventListener("loadedmetadata", resolve, { once: true }))),
    );
    await player.evaluate((el: HTMLMediaElement) => {
      el.currentTime = 2;
    });
    // The shortcut pauses the player, fills in the time and moves to the comment box.
    await tess.getByRole("button", { name: "Comment at current time" }).waitFor();
    await tess.keyboard.press("Alt+Shift+C");
    expect(await tess.getByLabel("Time in the recording (m:ss)").inputValue()).toBe("0:02");
    expect(await tess.evaluate(() => document.activeElement?.id)).toBe("field-body");
    await tess.keyboard.type(TESS_COMMENT);
    await tess.getByRole("button", { name: "Add comment" }).click();
    await tess.getByTestId("timeline").getByText(TESS_COMMENT).waitFor();

    const items = await scoreEveryItem(tess, 5);
    await tess.getByLabel("Overall feedback to the trainee").fill(TESS_FEEDBACK);
    // Drafts save as she goes (a second after the last change).
    await tess
      .getByTestId("autosave-status")
      .getByText(/Draft saved at/)
      .waitFor({ timeout: 15_000 });
    await tess.getByRole("button", { name: "Submit rating" }).click();
    await tess.getByText("Rating submitted. It is locked now.").waitFor();
    await tess
      .getByTestId("rating-state")
      .getByText(/Waiting for the other rating/)
      .waitFor();
    expect(await tess.getByRole("button", { name: "Submit rating" }).count()).toBe(0);

    // ---- Theo, the blind second rater, without JavaScript.
    const theoContext = await browser().newContext({ baseURL: baseUrl(), javaScriptEnabled: false });
    const theo = await signedIn(theoContext, "trainer2@attune.test");
    await theo.goto("/");
    await theo
      .getByTestId("home-to-rate")
      .getByRole("link", { name: /Case C-0417, session 1/ })
      .click();
    await theo.getByRole("heading", { level: 1, name: "Rating: Case C-0417, session 1" }).waitFor();
    const theoUrl = new URL(theo.url()).pathname;
    const recordingId = (await player.getAttribute("src"))?.match(/^\/recordings\/([^/]+)\/media/)?.[1] ?? "";
    expect(recordingId).not.toBe("");
    // Blind: nothing of Tess's rating on his pages, nor in their data (the `.data` JSON the client would fetch).
    const tessTexts = [TESS_COMMENT, TESS_FEEDBACK];
    for (const path of [theoUrl, "/", "/ratings", `/recordings/${recordingId}`]) {
      await theo.goto(path);
      const html = await theo.content();
      for (const t of tessTexts) expect(html, `${path} shows Tess's words`).not.toContain(t);
      const data = await theoContext.request.get(`${path === "/" ? "/_root" : path}.data`);
      const body = await data.text();
      for (const t of tessTexts) expect(body, `${path}.data shows Tess's words`).not.toContain(t);
    }
    expect((await theoContext.request.get(tessUrl)).status()).toBe(404);

    // Without JavaScript: a comment with a typed time, a draft saved with the button, then submitted.
    await theo.goto(theoUrl);
    await theo.getByLabel("Time in the recording (m:ss)").fill("0:03");
    await theo.getByLabel("Comment", { exact: true }).fill(THEO_COMMENT);
    await theo.getByRole("button", { name: "Add comment" }).click();
    await theo.getByText("Comment added.").waitFor();
    await theo.getByTestId("timeline").getByText(THEO_COMMENT).waitFor();
    expect(await theo.getByTestId("timeline").textContent()).toContain("0:03");
    await scoreEveryItem(theo, 1);
    await theo.getByRole("button", { name: "Save draft" }).click();
    await theo.getByText("Draft saved.").waitFor();
    await theo.getByLabel("Overall feedback to the trainee").fill("Needs more work on the alliance");
    await theo.getByRole("button", { name: "Submit rating" }).click();
    await theo.getByText("Rating submitted. It is locked now.").waitFor();
    await theo
      .getByTestId("rating-state")
      .getByText(/a moderator decides the final rating/)
      .waitFor();
    await theoContext.close();

    // ---- Morgan, the moderator: both ratings side by side, then the final rating with a rationale.
    const { page: morgan, problems: morganProblems } = await newPage(browser());
    await signIn(morgan, "moderator@attune.test", PASSWORD);
    await morgan.getByRole("heading", { name: "Disagreements to moderate" }).waitFor();
    await morgan
      .getByTestId("home-to-moderate")
      .getByRole("link", { name: /Case C-0417, session 1/ })
      .click();
    await morgan.getByRole("heading", { level: 1, name: "Moderation: Case C-0417, session 1" }).waitFor();
    const table = morgan.getByTestId("side-by-side");
    expect(await table.locator("thead").textContent()).toMatch(/Primary rater: Tess Trainer.*Second \(blind\) rater: Theo Trainer/);
    expect(await morgan.getByTestId("reasons").locator("li").count()).toBeGreaterThan(0);
    await morgan.getByText(TESS_COMMENT).waitFor();
    await morgan.getByText(THEO_COMMENT).waitFor();
    await morgan.getByRole("button", { name: "Record the final rating" }).click();
    await morgan.getByRole("heading", { name: "There is a problem" }).waitFor();
    expect(await scoreEveryItem(morgan, 4)).toBe(items);
    await morgan.getByLabel("Rationale for the final rating").fill("Engaged and focused; interpretations came early at times");
    await morgan.getByRole("button", { name: "Record the final rating" }).click();
    await morgan.getByText("Final rating recorded and released to the trainee.").waitFor();

    // ---- Rowan, the trainee: the released rating item by item, and a comment that seeks the player.
    const { page: rowan, problems: rowanProblems } = await newPage(browser());
    await signIn(rowan, "trainee@attune.test", PASSWORD);
    await rowan.getByRole("heading", { name: "Your released ratings" }).waitFor();
    await rowan
      .getByTestId("home-released-ratings")
      .getByRole("link", { name: /Case C-0417, session 1/ })
      .click();
    await rowan.getByTestId("final-outcome").waitFor();
    expect(await rowan.getByTestId("final-outcome").textContent()).toMatch(/^Competent — mean score 4\.00/);
    const rows = rowan.getByTestId("score-table").locator("tbody tr");
    expect(await rows.count()).toBe(items);
    expect(await rows.first().locator("td").first().textContent()).toBe("4");
    await rowan.getByText("Engaged and focused; interpretations came early at times").waitFor();
    const media = rowan.getByTestId("player");
    await media.evaluate(
      (el: HTMLMediaElement) =>
        new Promise((resolve) => (el.readyState >= 1 ? resolve(null) : el.addEventListener("loadedmetadata", resolve, { once: true }))),
    );
    expect(await media.evaluate((el: HTMLMediaElement) => el.currentTime)).toBe(0);
    await rowan.getByRole("button", { name: "Play from 0:03" }).click();
    await rowan.waitForFunction(() => {
      const el = document.querySelector<HTMLMediaElement>("[data-testid=player]");
      return el !== null && el.currentTime >= 3;
    });
    await rowan.getByRole("button", { name: "Play from 0:02" }).click();
    await rowan.waitForFunction(() => {
      const el = document.querySelector<HTMLMediaElement>("[data-testid=player]");
      return el !== null && el.currentTime >= 2 && el.currentTime < 3;
    });
    // The one refused form (Morgan's first try, no scores: 400 with field errors) is the only thing the console saw.
    const badRequest = "console: Failed to load resource: the server responded with a status of 400 (Bad Request)";
    expect([...problems, ...morganProblems, ...rowanProblems]).toEqual([badRequest]);
  });
});
