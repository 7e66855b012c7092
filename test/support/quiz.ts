import type { Question } from "#app/domain/quiz/schema";
import type { ServedQuestion } from "#app/domain/quiz/serve";

/** Form fields answering every served question the way the answer key says (free text gets a sentence). */
export function keyedForm(questions: ReadonlyMap<string, Question>, served: readonly ServedQuestion[], intent = "submit") {
  const form: Record<string, string | string[]> = { intent };
  for (const s of served) {
    const q = questions.get(s.id);
    if (!q) continue;
    const name = `q.${q.id}`;
    switch (q.type) {
      case "single":
        form[name] = q.options.find((o) => o.correct)?.id as string;
        break;
      case "multiple":
        form[name] = q.options.filter((o) => o.correct).map((o) => o.id);
        break;
      case "true-false":
        form[name] = String(q.answer);
        break;
      case "ordering":
        q.items.forEach((item, i) => {
          form[`${name}.${item.id}`] = String(i + 1);
        });
        break;
      case "matching":
        for (const p of q.pairs) form[`${name}.${p.id}`] = p.match;
        break;
      case "short-text":
        form[name] = "The pattern shows in how she defers to others.";
        break;
      case "ipaf":
        for (const part of ["self", "other", "affect", "defence"]) form[`${name}.${part}`] = `My ${part} formulation.`;
        break;
    }
  }
  return form;
}
