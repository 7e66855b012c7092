// Accessibility: every page in the main navigation, as each demo role, goes
// through the axe-core check that test/support/browser.ts runs on every page
// the end-to-end tests visit (so these pages are covered even where no flow
// goes). And the check itself finds violations under our CSP.
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/a11y";
import { a11yChecked, a11yIdle, browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();

// One account per role; none of them is used by a flow that depends on its state.
const ACCOUNTS = [
  { email: "admin@attune.test", role: "Administrator" },
  { email: "moderator@attune.test", role: "Trainer, Moderator" },
  { email: "accreditor@attune.test", role: "Accrediting body" },
  { email: "trainer@attune.test", role: "Trainer" },
  { email: "trainee@attune.test", role: "Trainee" },
];

describe("accessibility", () => {
  it("finds violations in a page served under our Content-Security-Policy", async () => {
    const { page } = await newPage(browser());
    const response = await page.goto("/login");
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    await a11yIdle();
    expect(await axeViolations(page)).toEqual([]);
    // Break the page the way a careless change would: an unlabelled field and low-contrast text.
    await page.evaluate(() => {
      const main = document.querySelector("main");
      main?.insertAdjacentHTML("beforeend", '<input id="unlabelled"><p id="faint">faint</p>');
      // Through the CSSOM: the CSP refuses inline style attributes.
      const faint = document.getElementById("faint") as HTMLElement;
      faint.style.color = "#bbb";
      faint.style.background = "#fff";
    });
    const rules = (await axeViolations(page)).map((v) => ({ rule: v.rule, targets: v.targets }));
    expect(rules).toContainEqual({ rule: "label", targets: ["#unlabelled"] });
    expect(rules).toContainEqual({ rule: "color-contrast", targets: ["#faint"] });
  });

  it("the pages one link further pass too: forgotten password, glossary, a person, a cohort", async () => {
    const { page, problems } = await newPage(browser());
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgotten your password?" }).click();
    await page.waitForURL(/\/forgot-password$/);
    await signIn(page, "admin@attune.test", PASSWORD);
    await page.waitForURL(/\/$/);
    await page.goto("/modules");
    await page.getByRole("link", { name: "Glossary" }).click();
    await page.waitForURL(/\/glossary$/);
    await page.goto("/admin/users");
    await page.getByRole("link", { name: "Jo Trainee" }).click();
    await page.waitForURL(/\/admin\/users\/[^/]+$/);
    await page.goto("/admin/cohorts");
    await page.locator("table a").first().click();
    await page.waitForURL(/\/admin\/cohorts\/[^/]+$/);
    await a11yIdle();
    const checked = a11yChecked();
    expect(checked).toContain("/forgot-password as signed out");
    expect(checked).toContain("/glossary as Administrator");
    expect(checked.some((k) => /^\/admin\/users\/[^/]+ as Administrator$/.test(k))).toBe(true);
    expect(checked.some((k) => /^\/admin\/cohorts\/[^/]+ as Administrator$/.test(k))).toBe(true);
    expect(problems).toEqual([]);
  });

  for (const account of ACCOUNTS) {
    it(`every page in the navigation passes for ${account.role}`, async () => {
      const { page, problems } = await newPage(browser());
      await signIn(page, account.email, PASSWORD);
      await page.waitForURL(/\/$/);
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect.poll(() => nav.getByRole("link").count()).toBeGreaterThanOrEqual(4);
      const paths = await nav.getByRole("link").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      const landed = ["/"];
      for (const path of paths.filter((p) => p !== "/")) {
        // Through the link, as a person would: a client-side navigation. A link may lead on to the person's own
        // page below it (a trainee's "Competence" opens their own profile): that page is the one checked.
        await nav.locator(`a[href="${path}"]`).click();
        await page.waitForURL((url) => url.pathname === path || url.pathname.startsWith(`${path}/`));
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        expect(await page.getByRole("heading", { level: 1 }).count()).toBe(1);
        landed.push(new URL(page.url()).pathname);
      }
      await a11yIdle();
      for (const path of landed) expect(a11yChecked()).toContain(`${path} as ${account.role}`);
      expect(problems).toEqual([]);
    });
  }
});
