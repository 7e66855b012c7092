import { describe, expect, it } from "vitest";
import { browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();

describe("training cases in the browser", () => {
  it("a trainee registers a case, records sessions, consent and supervision; the supervisor confirms it", async () => {
    const { page, problems } = await newPage(browser());
    await signIn(page, "trainee@attune.test", PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cases" }).click();
    await page.waitForURL(/\/cases$/);
    // The demo case is there already.
    await page.getByRole("link", { name: "C-0417" }).waitFor();
    await page.getByRole("link", { name: "Register a case" }).click();

    // An identifying code is refused with a message next to the field.
    await page.getByLabel("Client code").fill("JS-120385");
    await page.getByLabel("Date of the first session").fill("2026-11-02");
    await page.getByRole("button", { name: "Register case" }).click();
    await page.locator("#field-clientCode-error").waitFor();
    expect(await page.locator("#field-clientCode-error").textContent()).toMatch(/date of birth/);
    await page.getByLabel("Client code").fill("C-5501");
    // The cohort supervisor is chosen by default.
    expect(await page.getByLabel("Supervisor").locator("option:checked").textContent()).toBe("Tess Trainer");
    await page.getByRole("button", { name: "Register case" }).click();
    await page.getByRole("heading", { level: 1, name: "Case C-5501" }).waitFor();
    const caseUrl = page.url();

    await page.getByLabel("Session number (1–16)").fill("1");
    await page.getByLabel("Date", { exact: true }).first().fill("2026-11-02");
    await page.getByLabel("PHQ-9 total (optional)").fill("15");
    await page.getByLabel("GAD-7 total (optional)").fill("30");
    await page.getByRole("button", { name: "Save session" }).click();
    await page.locator("#field-gad7-error").waitFor();
    expect(await page.locator("#field-gad7-error").textContent()).toBe("The GAD-7 total is between 0 and 21");
    await page.getByLabel("GAD-7 total (optional)").fill("9");
    await page.getByRole("button", { name: "Save session" }).click();
    await page.getByText("Session saved.").waitFor();
    const firstRow = page.getByRole("table", { name: "Sessions of case C-5501" }).getByRole("row").nth(1);
    expect(await firstRow.textContent()).toBe("1Initial2026-11-02159");

    await page.getByLabel("Date consent was given").fill("2026-11-02");
    await page.getByLabel("How consent was recorded").selectOption("WRITTEN_FORM");
    await page.getByLabel(/I confirm the client gave this consent/).check();
    await page.getByRole("button", { name: "Record consent" }).click();
    await page.getByText("Consent recorded.").waitFor();

    await page.locator("#field-supervision-heldOn").fill("2026-11-09");
    await page.getByLabel("Length in minutes").fill("60");
    await page.getByRole("button", { name: "Log supervision" }).click();
    await page.getByText("Supervision logged.").waitFor();
    expect(await page.getByText("Awaiting confirmation", { exact: true }).count()).toBe(1);

    const { page: supervisor, problems: supervisorProblems } = await newPage(browser());
    await signIn(supervisor, "trainer@attune.test", PASSWORD);
    await supervisor.getByRole("heading", { name: "Supervision to confirm" }).waitFor();
    await supervisor.getByRole("link", { name: /Rowan Trainee, case C-5501/ }).click();
    await supervisor.getByRole("button", { name: "Confirm" }).click();
    await supervisor.getByText("Supervision entry reviewed.").waitFor();
    expect(await supervisor.getByText("Confirmed by Tess Trainer").count()).toBe(1);
    // The supervisor cannot record sessions in the trainee's name: no such form.
    expect(await supervisor.getByRole("button", { name: "Save session" }).count()).toBe(0);

    // Another trainee cannot open the case.
    const { page: other } = await newPage(browser());
    await signIn(other, "trainee3@attune.test", PASSWORD);
    await other.getByRole("button", { name: "Sign out" }).waitFor();
    const response = await other.goto(caseUrl);
    expect(response?.status()).toBe(404);

    // The two refused forms answered 400 (as they should); nothing else went wrong.
    const badRequest = "console: Failed to load resource: the server responded with a status of 400 (Bad Request)";
    expect(problems).toEqual([badRequest, badRequest]);
    expect(supervisorProblems).toEqual([]);
  });
});
