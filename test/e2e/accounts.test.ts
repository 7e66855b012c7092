import { describe, expect, it } from "vitest";
import { browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();

describe("accounts in the browser", () => {
  it("invite → accept → sign in → role-appropriate navigation → sign out", async () => {
    const { page, problems } = await newPage(browser());
    await signIn(page, "admin@attune.test", PASSWORD);
    await expect.poll(() => page.getByTestId("who").textContent()).toContain("Ada Admin");
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual([
      "Home",
      "Course",
      "Journal",
      "Cases",
      "Case studies",
      "Certificates",
      "Marking",
      "Ratings",
      "Competence",
      "Reliability",
      "Administration",
      "People",
      "Cohorts",
      "Certification",
      "Audit log",
      "Account",
    ]);

    await nav.getByRole("link", { name: "People" }).click();
    await page.getByRole("link", { name: "Invite a person" }).first().click();
    await page.getByLabel("Full name").fill("Ellis Newcomer");
    await page.getByLabel("Email address").fill("ellis@attune.test");
    await page.getByRole("checkbox", { name: /^Trainee/ }).check();
    await page.getByRole("button", { name: "Create invitation" }).click();
    const link = (await page.getByTestId("invitation-link").textContent())?.trim() ?? "";
    expect(link).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}$/);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login$/);

    // The invitee, in their own browser.
    // The link is on the configured origin (http://localhost:<port>, APP_URL being unset), whatever the admin's
    // browser used; the invitee stays on it.
    expect(new URL(link).origin).toBe(`http://localhost:${new URL(page.url()).port}`);
    const origin = new URL(link).origin;
    const invitee = await newPage(browser());
    await invitee.page.goto(link);
    await expect.poll(() => invitee.page.getByRole("heading", { level: 1 }).textContent()).toContain("Ellis Newcomer");
    await invitee.page.getByLabel("New password", { exact: true }).fill("my own long passphrase");
    await invitee.page.getByLabel("Repeat the new password").fill("my own long passphrase");
    await invitee.page.getByRole("button", { name: "Set password and sign in" }).click();
    await invitee.page.waitForURL(/\/\?welcome=1$/);
    await expect.poll(() => invitee.page.getByTestId("who").textContent()).toContain("Ellis Newcomer");
    const traineeNav = invitee.page.getByRole("navigation", { name: "Main" });
    expect(await traineeNav.getByRole("link").allTextContents()).toEqual([
      "Home",
      "Course",
      "Journal",
      "Cases",
      "Pathway",
      "Case studies",
      "Certificates",
      "Ratings",
      "Competence",
      "Account",
    ]);

    // A trainee who types an admin address gets the friendly 403 page.
    const response = await invitee.page.goto(`${origin}/admin/users`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => invitee.page.getByRole("heading", { level: 1 }).textContent()).toBe("You do not have access to this page");

    await invitee.page.getByRole("button", { name: "Sign out" }).click();
    await invitee.page.waitForURL(/\/login$/);
    await invitee.page.goto(`${origin}/`);
    await invitee.page.waitForURL(/\/login$/);

    // The used link is dead.
    await invitee.page.goto(link);
    await expect.poll(() => invitee.page.getByRole("heading", { level: 1 }).textContent()).toBe("This link no longer works");

    expect(problems.filter((p) => !p.includes("403") && !p.includes("410"))).toEqual([]);
  });

  it("a wrong password shows the error, and repeated failures are rate-limited", async () => {
    const { page } = await newPage(browser());
    for (let i = 0; i < 3; i++) {
      await signIn(page, "trainee2@attune.test", `wrong password ${i}`);
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("do not match");
    }
    await signIn(page, "trainee2@attune.test", PASSWORD);
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/Too many failed sign-in attempts/);
    expect(page.url()).toMatch(/\/login$/);
  });

  it("works without JavaScript: sign in and see the home page", async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, baseURL: (await import("../support/browser")).baseUrl() });
    const page = await context.newPage();
    await signIn(page, "trainer@attune.test", PASSWORD);
    await page.waitForURL(/\/$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Welcome, Tess Trainer");
    await expect.poll(() => page.getByRole("heading", { name: "Trainees you supervise" }).count()).toBe(1);
    await context.close();
  });

  it("is keyboard operable: the skip link is the first stop and focus is visible", async () => {
    const { page } = await newPage(browser());
    await page.goto("/login");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    expect(focused).toBe("Skip to content");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe("solid");
  });

  it("serves a friendly 404 and the security headers", async () => {
    const { page } = await newPage(browser());
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
  });
});
