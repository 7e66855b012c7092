// `npm test`: the whole suite (unit, integration on SQLite — and PostgreSQL when
// PG_TEST_URL is set — and end-to-end in Chromium). Extra arguments go to vitest.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHROMIUM_HELP, findChromium } from "./find-chromium.mjs";

if (!findChromium()) {
  console.error(CHROMIUM_HELP);
  process.exit(1);
}

const dir = mkdtempSync(path.join(tmpdir(), "attune-vitest-"));
const report = path.join(dir, "report.json");
const args = ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync("node_modules/.bin/vitest", args, { stdio: "inherit" });

let summary = null;
try {
  summary = JSON.parse(readFileSync(report, "utf8"));
} catch {}
rmSync(dir, { recursive: true, force: true });
if (summary) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`\nattune: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(run.status ?? 1);
