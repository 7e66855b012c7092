import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";

// The stylesheets parse cleanly: a rule left unclosed (as a merge once left `.chart-legend`) swallows the rules
// after it, and the build only warns.
const dir = "app/styles";

describe("stylesheets", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".css"))) {
    it(`${file} has no syntax errors`, async () => {
      const css = readFileSync(path.join(dir, file), "utf8");
      const out = await transform(css, { loader: "css", logLevel: "silent" });
      expect(out.warnings.map((w) => `${w.location?.line}: ${w.text}`)).toEqual([]);
    });
  }
});
