import { quizFiles, readQuiz } from "#app/content.server/quizzes";
import { allQuestions } from "#app/domain/quiz/schema";
import { optionLength } from "#app/domain/quiz/bank-shape";
const ranks: Record<string, string[]> = {};
for (const f of quizFiles("content")) {
  const quiz = readQuiz(f);
  for (const q of allQuestions(quiz)) {
    if (q.type !== "single") continue;
    const key = q.options.find((o) => o.correct)!;
    const longer = q.options.filter((o) => optionLength(o) > optionLength(key)).length;
    const shorter = q.options.filter((o) => optionLength(o) < optionLength(key)).length;
    const r = longer === 0 ? "longest" : shorter === 0 ? "shortest" : `middle(${longer} longer)`;
    (ranks[r] ??= []).push(`${quiz.id.replace(/-quiz$/, "")}/${q.id}`);
  }
}
for (const [k, v] of Object.entries(ranks)) console.log(k, v.length, v.join(" "));
