import { quizFiles, readQuiz } from "#app/content.server/quizzes";
import { allQuestions } from "#app/domain/quiz/schema";
import { optionLength, keyIsLongest, longestSubsetCredit, hasAbsoluteWord } from "#app/domain/quiz/bank-shape";
const only = process.argv[2];
for (const f of quizFiles("content")) {
  const quiz = readQuiz(f);
  if (only && !quiz.id.startsWith(only)) continue;
  console.log(`# ${quiz.id}`);
  for (const q of allQuestions(quiz)) {
    if (q.type === "single" || q.type === "multiple") {
      const opts = q.options.map((o) => `${o.id}${o.correct ? "*" : ""}${optionLength(o)}${hasAbsoluteWord(o.text) ? "!" : ""}`).join(" ");
      const extra = q.type === "single" ? (keyIsLongest(q) ? "LONGEST" : "") : `k=${q.options.filter((o) => o.correct).length}/${q.options.length} lsc3=${longestSubsetCredit(q, 3).toFixed(2)} lsc2=${longestSubsetCredit(q, 2).toFixed(2)}`;
      console.log(`  ${q.type} ${q.id}: ${opts} ${extra}`);
    } else if (q.type === "true-false") console.log(`  tf ${q.id}: ${q.answer}${hasAbsoluteWord(q.prompt) ? " !" : ""}`);
    else console.log(`  ${q.type} ${q.id}`);
  }
}
