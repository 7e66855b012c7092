// Reports the shape statistics of the quiz item bank and exits 1 past the limits (docs/quiz-format.md, ADR 0017).
import { checkItemBank, formatBankShape } from "#app/content.server/item-bank";

const { shape, violations } = checkItemBank();
console.log(formatBankShape(shape));
for (const v of violations) console.error(v);
if (violations.length) {
  console.error(`content:bank: ${violations.length} limit${violations.length === 1 ? "" : "s"} broken`);
  process.exit(1);
}
console.log("content:bank: the item bank is within its shape limits");
