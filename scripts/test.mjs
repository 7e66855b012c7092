// `npm test`: the whole suite (unit, integration on SQLite — and PostgreSQL when
// PG_TEST_URL is set — and end-to-end in Chromium). Extra arguments go to vitest.
// Ends by saying which lanes ran, with their counts; under CI (CI=true) a run in
// which the PostgreSQL lane did not run fails.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHROMIUM_HELP, findChromium } from "./find-chromium.mjs";

/** The vitest projects, in the order they are reported. */
const LANES = [
  { project: "unit", label: "unit" },
  { project: "sqlite", label: "SQLite" },
  { project: "postgresql", label: "PostgreSQL" },
  { project: "e2e", label: "Chromium e2e" },
  { project: "e2e-postgresql", label: "Chromium e2e on PostgreSQL" },
];

const ci = ["true", "1"].includes(String(process.env.CI ?? "").toLowerCase());

if (!findChromium()) {
  console.error(CHROMIUM_HELP);
  process.exit(1);
}
// The recordings tests make media fixtures with ffmpeg and the app reads video containers with ffprobe.
if (!existsSync("/usr/bin/ffmpeg") || !existsSync("/usr/bin/ffprobe")) {
  console.error(
    "No ffmpeg found (/usr/bin/ffmpeg and /usr/bin/ffprobe). On Debian/Ubuntu:\n  sudo apt-get update && sudo apt-get install -y ffmpeg",
  );
  process.exit(1);
}
// The certificate tests read the PDF's text (pdftotext) and render it to decode its QR code (pdftoppm).
if (!existsSync("/usr/bin/pdftotext") || !existsSync("/usr/bin/pdftoppm")) {
  console.error(
    "No poppler-utils found (/usr/bin/pdftotext and /usr/bin/pdftoppm). On Debian/Ubuntu:\n  sudo apt-get update && sudo apt-get install -y poppler-utils",
  );
  process.exit(1);
}

const dir = mkdtempSync(path.join(tmpdir(), "attune-vitest-"));
const lanesFile = path.join(dir, "lanes.json");
const args = ["run", "--reporter=default", "--reporter=./scripts/lane-reporter.mjs", ...process.argv.slice(2)];
const run = spawnSync("node_modules/.bin/vitest", args, { stdio: "inherit", env: { ...process.env, ATTUNE_LANES_FILE: lanesFile } });

let lanes = null;
try {
  lanes = JSON.parse(readFileSync(lanesFile, "utf8"));
} catch {}
rmSync(dir, { recursive: true, force: true });

let status = run.status ?? 1;
if (lanes) {
  console.log("\nattune: lanes");
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const { project, label } of LANES) {
    const lane = lanes[project];
    if (!lane) {
      const why = project.includes("postgresql") && !process.env.PG_TEST_URL ? "PG_TEST_URL is not set" : "not selected";
      console.log(`  ${label.padEnd(27)} did not run (${why})`);
      continue;
    }
    for (const k of Object.keys(total)) total[k] += lane[k];
    console.log(
      `  ${label.padEnd(27)} ran: ${lane.passed} passed, ${lane.failed} failed, ${lane.skipped} skipped (${lane.files} file${lane.files === 1 ? "" : "s"})`,
    );
  }
  console.log(`attune: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
} else {
  console.log("\nattune: no lane report (vitest did not finish)");
}
for (const project of ["postgresql", "e2e-postgresql"]) {
  const pg = lanes?.[project];
  if (ci && !(pg && pg.passed + pg.failed > 0)) {
    console.error(`attune: CI is set but the ${project} lane did not run: set PG_TEST_URL (see docs/testing.md).`);
    if (status === 0) status = 1;
  }
}
process.exit(status);
