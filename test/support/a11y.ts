// Accessibility checks with axe-core, run inside the page under test.
// Our Content-Security-Policy refuses inline scripts, so axe is not added as a
// <script> tag: its source is evaluated through the DevTools protocol
// (page.evaluate), which the page's CSP does not govern. See
// docs/decisions/0015-accessibility-checks.md.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.2 level AA, as axe-core tags its rules. */
export const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] as const;

export type Violation = { rule: string; impact: string; help: string; targets: string[] };

type AxeResult = { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] };
type AxeWindow = { axe?: { run(context: Document, options: object): Promise<{ violations: AxeResult[] }> } };

/** The axe run in progress on each page: axe refuses a second run while one is going, so runs queue. */
const running = new WeakMap<Page, Promise<unknown>>();

/**
 * Runs axe-core over the page as it is now: the WCAG 2.2 AA rules, or every rule with `allRules`. Runs on one page
 * wait for each other (the shared after-navigation check and a test's own check can meet).
 */
export function axeViolations(page: Page, { allRules = false }: { allRules?: boolean } = {}): Promise<Violation[]> {
  const run = (running.get(page) ?? Promise.resolve()).catch(() => {}).then(() => runAxe(page, allRules));
  running.set(page, run);
  return run;
}

async function runAxe(page: Page, allRules: boolean): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as AxeWindow).axe === "object");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async (tags) => {
      const axe = (window as unknown as AxeWindow).axe;
      if (!axe) throw new Error("axe-core did not load");
      const only = tags.length ? { runOnly: { type: "tag", values: tags } } : {};
      const result = await axe.run(document, { ...only, resultTypes: ["violations"] });
      return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact ?? "unknown",
        help: v.help,
        targets: v.nodes.map((n) => n.target.map(String).join(" ")),
      }));
    },
    allRules ? [] : (WCAG_22_AA as unknown as string[]),
  );
}

/** One line per rule: "rule (impact): help — target, target". */
export function formatViolations(where: string, violations: Violation[]): string {
  const lines = violations.map((v) => `  ${v.rule} (${v.impact}): ${v.help} — ${v.targets.join(", ")}`);
  return `${where}\n${lines.join("\n")}`;
}
