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

/** Runs the WCAG 2.2 AA rules of axe-core over the page as it is now. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as AxeWindow).axe === "object");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async (tags) => {
      const axe = (window as unknown as AxeWindow).axe;
      if (!axe) throw new Error("axe-core did not load");
      const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
      return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact ?? "unknown",
        help: v.help,
        targets: v.nodes.map((n) => n.target.map(String).join(" ")),
      }));
    },
    WCAG_22_AA as unknown as string[],
  );
}

/** One line per rule: "rule (impact): help — target, target". */
export function formatViolations(where: string, violations: Violation[]): string {
  const lines = violations.map((v) => `  ${v.rule} (${v.impact}): ${v.help} — ${v.targets.join(", ")}`);
  return `${where}\n${lines.join("\n")}`;
}
