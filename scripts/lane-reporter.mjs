// A vitest reporter for `npm test` (scripts/test.mjs): counts tests per project ("lane") and writes them as JSON to
// the file named by ATTUNE_LANES_FILE. vitest's own JSON report names files, not projects, and the integration
// files run twice (SQLite and PostgreSQL), so the lanes can only be told apart here.
import { writeFileSync } from "node:fs";

export default class LaneReporter {
  onTestRunEnd(testModules) {
    const file = process.env.ATTUNE_LANES_FILE;
    if (!file) return;
    const lanes = {};
    for (const mod of testModules) {
      const name = mod.project.name;
      lanes[name] ??= { files: 0, passed: 0, failed: 0, skipped: 0 };
      const lane = lanes[name];
      lane.files += 1;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") lane.passed += 1;
        else if (state === "failed") lane.failed += 1;
        else lane.skipped += 1;
      }
      // A file that failed to load has no tests but must not look like a pass.
      if (mod.state() === "failed" && ![...mod.children.allTests("failed")].length) lane.failed += 1;
    }
    writeFileSync(file, JSON.stringify(lanes));
  }
}
