import { describe, expect, it } from "vitest";
import { baseUrl, browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();

const REVISED =
  "Case C-0417 (demo text, not a real client), revised\n\nThe IPAF, the middle phase and the ending, with the goodbye letter.\n";

describe("the pathway checklist and the written case study in the browser", () => {
  it("a trainee uploads a revised case study without JavaScript; their trainer marks it pass; the checklist shows the step met", async () => {
    // The demo trainee's first case study was referred (scripts/seed.ts): the checklist says so.
    const context = await browser().newContext({ baseURL: baseUrl(), javaScriptEnabled: false });
    const trainee = await context.newPage();
    await signIn(trainee, "trainee@attune.test", PASSWORD);
    await trainee.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pathway" }).click();
    await trainee.getByRole("heading", { level: 1, name: /^Your pathway/ }).waitFor();
    const step = trainee.locator('[data-step="case-study"]');
    expect(await step.getAttribute("data-state")).toBe("not-yet");
    expect(await step.textContent()).toContain("Your case study was referred: read the feedback and submit a revised case study.");
    expect(await trainee.getByTestId("pathway-summary").textContent()).toMatch(/^\d+ of 9 steps met\.$/);

    await trainee.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Case studies" }).click();
    await trainee.getByRole("heading", { name: "Submit a revised case study" }).waitFor();
    // No file: a field error, nothing stored.
    await trainee.getByLabel("Title").fill("Case C-0417: the whole therapy");
    await trainee.getByRole("button", { name: "Submit the case study" }).click();
    await trainee.locator("#field-document-error").waitFor();
    expect(await trainee.locator("#field-document-error").textContent()).toBe("Choose the document to upload.");
    await trainee.getByLabel("Title").fill("Case C-0417: the whole therapy");
    await trainee.getByLabel("Document").setInputFiles({ name: "case-study.txt", mimeType: "text/plain", buffer: Buffer.from(REVISED) });
    await trainee.getByRole("button", { name: "Submit the case study" }).click();
    await trainee.getByRole("heading", { level: 1, name: "Case C-0417: the whole therapy" }).waitFor();
    expect(await trainee.getByRole("status").textContent()).toContain("Case study submitted.");
    expect(await trainee.getByTestId("case-study-status").textContent()).toBe("Awaiting marking");
    await trainee.getByRole("link", { name: "the referred case study" }).waitFor();
    const studyUrl = trainee.url().split("?")[0] as string;

    // The trainer of the cohort marks it, with feedback.
    const { page: trainer, problems } = await newPage(browser());
    await signIn(trainer, "trainer@attune.test", PASSWORD);
    await trainer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Case studies" }).click();
    await trainer.getByRole("heading", { name: "Awaiting your marking" }).waitFor();
    await trainer.getByRole("link", { name: "Rowan Trainee: Case C-0417: the whole therapy" }).click();
    await trainer.getByRole("heading", { name: "Mark this case study" }).waitFor();
    // The marker can read the document: the same bytes come back.
    const download = await trainer.request.get(`${studyUrl}/document`);
    expect(download.status()).toBe(200);
    expect(download.headers()["cache-control"]).toContain("no-store");
    expect(await download.text()).toBe(REVISED);
    await trainer.getByRole("button", { name: "Save the mark" }).click();
    await trainer.locator("#field-feedback-error").waitFor();
    await trainer.getByRole("radio", { name: "Pass" }).check();
    await trainer.getByLabel("Feedback to the trainee").fill("A full account of the therapy, well linked to the IPAF.");
    await trainer.getByRole("button", { name: "Save the mark" }).click();
    await trainer.getByText("Mark saved: the trainee can read it now.").waitFor();
    expect(await trainer.getByTestId("case-study-status").textContent()).toBe("Passed");
    // The checklist of the trainee, as their trainer sees it from the home page.
    await trainer.goto("/");
    await trainer.getByRole("link", { name: "Rowan Trainee", exact: true }).click();
    await trainer.getByRole("heading", { level: 1, name: /^Pathway: Rowan Trainee/ }).waitFor();
    expect(await trainer.locator('[data-step="case-study"]').getAttribute("data-state")).toBe("met");

    // The cohort's grid, one link from the home page.
    await trainer.goto("/");
    // Tess trains two cohorts (the seed's past one too): the link of this winter's.
    await trainer
      .getByRole("listitem")
      .filter({ hasText: "DIT practitioner course — winter 2026" })
      .getByRole("link", { name: "Pathway checklist" })
      .click();
    await trainer.getByRole("heading", { level: 1, name: /^Pathway: DIT practitioner course — winter 2026/ }).waitFor();
    const row = trainer.getByRole("row", { name: /Rowan Trainee/ });
    expect(await row.getByText("Written case study marked pass by a trainer: Met").count()).toBe(1);

    // The trainee sees the mark and feedback, and the step met on their checklist.
    await trainee.goto(studyUrl);
    expect(await trainee.getByTestId("case-study-mark").textContent()).toContain("A full account of the therapy, well linked to the IPAF.");
    await trainee.goto("/pathway");
    expect(await step.getAttribute("data-state")).toBe("met");
    expect(await step.textContent()).toMatch(/Case study “Case C-0417: the whole therapy”: passed \d{4}-\d{2}-\d{2}/);
    await trainee.getByRole("link", { name: /Case study “Case C-0417: the whole therapy”: passed/ }).waitFor();

    // Another trainee cannot open it.
    const { page: other } = await newPage(browser());
    await signIn(other, "trainee3@attune.test", PASSWORD);
    await other.getByRole("button", { name: "Sign out" }).waitFor();
    expect((await other.goto(studyUrl))?.status()).toBe(404);
    expect((await other.request.get(`${studyUrl}/document`)).status()).toBe(404);

    // One refused form (no feedback) answered 400; nothing else went wrong.
    expect(problems).toEqual(["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
    await context.close();
  });
});
