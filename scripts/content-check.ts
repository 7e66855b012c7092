// Validates all course content; prints file:line messages and exits 1 on any problem.
import { checkContent, formatProblem } from "#app/content.server/check";

const problems = await checkContent();
for (const p of problems) console.error(formatProblem(p));
if (problems.length) {
  console.error(`content:check: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
  process.exit(1);
}
console.log("content:check: all course content is valid");
