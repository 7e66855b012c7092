import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/a11y";
import { baseUrl, browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();
/** Every axe-core rule's violations on the current page, by rule id (queued behind the shared check: support/a11y.ts). */
async function axeRuleIds(page: Page): Promise<string[]> {
  return (await axeViolations(page, { allRules: true })).map((v) => v.rule);
}

describe("removing a person in the browser", () => {
  it("anonymises through a confirmation that works without JavaScript", async () => {
    const context = await browser().newContext({ baseURL: baseUrl(), javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, "admin@attune.test", PASSWORD);
    await page.goto("/admin/users/new");
    await page.getByLabel("Full name").fill("Robin Leaver");
    await page.getByLabel("Email address").fill("robin.leaver@attune.test");
    await page.getByRole("checkbox", { name: /^Trainee/ }).check();
    await page.getByRole("button", { name: "Create invitation" }).click();
    await page.goto("/admin/users?q=robin.leaver");
    await page.getByRole("link", { name: "Robin Leaver" }).click();

    await page.getByRole("link", { name: "Anonymise…" }).click();
    await page.getByRole("button", { name: "Anonymise permanently" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Tick the box to confirm");
    await page.getByRole("checkbox", { name: /cannot be undone/ }).check();
    await page.getByRole("button", { name: "Anonymise permanently" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Anonymised.");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Anonymised person /);
    expect(await page.getByTestId("anonymised").isVisible()).toBe(true);
    await context.close();
  });

  it("the audit log and the confirmation step have no axe violations; the log's scroll region is keyboard focusable", async () => {
    const { page, problems } = await newPage(browser());
    await signIn(page, "admin@attune.test", PASSWORD);
    await expect.poll(() => page.getByTestId("who").textContent()).toContain("Ada Admin");
    await page.setViewportSize({ width: 420, height: 800 }); // narrow: the table scrolls sideways
    await page.goto("/admin/audit");
    expect(await axeRuleIds(page)).toEqual([]);
    const region = page.getByRole("region", { name: "Audit events, newest first" });
    expect(await region.getAttribute("tabindex")).toBe("0");
    // It really scrolls at this width, so the axe rule had something to check.
    expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

    await page.goto("/admin/users?q=moderator@");
    await page.getByRole("link", { name: /Mo/ }).first().click();
    await page.getByRole("link", { name: "Anonymise…" }).click();
    await page.getByRole("button", { name: "Anonymise permanently" }).waitFor();
    expect(await axeRuleIds(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
