import { CONTENT_DIR } from "#app/content.server/compile";
import { quizFiles, readQuiz } from "#app/content.server/quizzes";
import { type BankShape, bankShape, bankViolations } from "#app/domain/quiz/bank-shape";

/** The shape statistics of the quizzes under `root` (content/ by default) and the limits they break. */
export function checkItemBank(root = CONTENT_DIR): { shape: BankShape; violations: string[] } {
  const shape = bankShape(quizFiles(root).map(readQuiz));
  return { shape, violations: bankViolations(shape) };
}

const pct = (n: number) => `${Math.round(n * 100)} %`;

/** A plain-text report of the statistics, for `npm run content:bank`. */
export function formatBankShape(shape: BankShape): string {
  const counts = Object.entries(shape.multiple.correctCounts)
    .map(([k, v]) => `${k} correct: ${v}`)
    .join(", ");
  const lines = [
    `single choice: key is the longest option in ${shape.single.keyLongest} of ${shape.single.items} (${pct(shape.single.share)}); key length rank (1 = longest): ${Object.entries(
      shape.single.keyRanks,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ")}`,
    `true/false: keyed "true" in ${shape.trueFalse.keyedTrue} of ${shape.trueFalse.items} (${pct(shape.trueFalse.share)})`,
    `multiple response: ${shape.multiple.items} items; ${counts}; most common ${shape.multiple.modal ?? "–"} (${pct(shape.multiple.modalShare)})`,
    `absolute words: keys ${shape.absolute.keysWith}/${shape.absolute.keys} (${pct(shape.absolute.keyShare)}), distractors ${shape.absolute.distractorsWith}/${shape.absolute.distractors} (${pct(shape.absolute.distractorShare)})`,
    "content-free strategy vs random guessing, per quiz (single, true/false, multiple response):",
    ...shape.quizzes.map((q) => `  ${q.quiz}: ${pct(q.strategy)} vs ${pct(q.random)}`),
  ];
  return lines.join("\n");
}
