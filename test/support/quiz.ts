import { getCurriculum } from "#app/content.server/curriculum.server";
import { renderQuiz } from "#app/content.server/quizzes";
import { type Question, type Quiz, QuizSchema } from "#app/domain/quiz/schema";
import { type ServedQuestion, tokenOf } from "#app/domain/quiz/serve";

/**
 * Fixture quizzes for tests: our own wording, so tests never depend on the
 * shipped item bank. Every secret (feedback, explanations, model answers,
 * marking notes) contains "SECRET", so a test can look for it in loader data.
 */
let counter = 0;

const opt = (id: string, text: string, correct = false) => ({ id, text, correct, feedback: `SECRET feedback on ${text}` });

export const FIXTURE_QUESTIONS = [
  {
    id: "single-q",
    type: "single",
    prompt: "Which colour is the fixture sky?",
    options: [opt("a", "Blue sky", true), opt("b", "Green sky"), opt("c", "Red sky")],
    explanation: "SECRET explanation: the sky is blue.",
  },
  {
    id: "multiple-q",
    type: "multiple",
    points: 2,
    prompt: "Which of these are fixture fruits?",
    options: [opt("a", "Apple", true), opt("b", "Pear", true), opt("c", "Brick"), opt("d", "Cloud")],
    explanation: "SECRET explanation: apples and pears.",
  },
  {
    id: "tf-q",
    type: "true-false",
    prompt: "The fixture moon is made of cheese.",
    answer: false,
    feedback: { true: "SECRET feedback on true", false: "SECRET feedback on false" },
    explanation: "SECRET explanation: it is rock.",
  },
  {
    id: "order-q",
    type: "ordering",
    prompt: "Put the fixture days in order.",
    items: [
      { id: "a", text: "Monday" },
      { id: "b", text: "Tuesday" },
      { id: "c", text: "Wednesday" },
      { id: "d", text: "Thursday" },
    ],
    explanation: "SECRET explanation: the week's order.",
  },
  {
    id: "match-q",
    type: "matching",
    prompt: "Match each fixture animal to its kind.",
    pairs: [
      { id: "a", prompt: "Cat", match: "Mammal" },
      { id: "b", prompt: "Sparrow", match: "Bird" },
      { id: "c", prompt: "Dog", match: "Mammal" },
    ],
    explanation: "SECRET explanation: fur and feathers.",
  },
  {
    id: "text-q",
    type: "short-text",
    points: 2,
    prompt: "Describe the fixture pattern in a sentence.",
    modelAnswer: "SECRET model answer for the pattern.",
    markingNotes: "SECRET marking notes.",
  },
  {
    id: "ipaf-q",
    type: "ipaf",
    points: 4,
    prompt: "Formulate the fixture IPAF.",
    modelAnswer: { self: "SECRET self", other: "SECRET other", affect: "SECRET affect", defence: "SECRET defence" },
    markingNotes: "SECRET IPAF notes.",
  },
] as const;

/** A fixture quiz, parsed and rendered as the build does, and added to the curriculum the routes read. */
export async function installQuiz(
  overrides: { settings?: Record<string, unknown>; questions?: readonly unknown[]; pools?: readonly unknown[]; module?: string } = {},
): Promise<Quiz> {
  counter += 1;
  const quiz = renderQuiz(
    QuizSchema.parse({
      id: `fixture-${counter}-${Date.now().toString(36)}`,
      version: 1,
      ...(overrides.module ? { module: overrides.module } : {}),
      title: `Fixture quiz ${counter}`,
      settings: { passMark: 60, attempts: 3, cooldownMinutes: 0, review: "immediately", ...overrides.settings },
      questions: overrides.questions ?? FIXTURE_QUESTIONS,
      pools: overrides.pools ?? [],
    }),
  );
  (await getCurriculum()).quizzes.push(quiz);
  return quiz;
}

/** The form field value for a content id of a served question (the attempt's token). */
const t = (s: ServedQuestion, id: string) => tokenOf(s, id);

/** Form fields answering every served question the way the answer key says (free text gets a sentence). */
export function keyedForm(questions: ReadonlyMap<string, Question>, served: readonly ServedQuestion[], intent = "submit") {
  const form: Record<string, string | string[]> = { intent };
  for (const s of served) {
    const q = questions.get(s.id);
    if (!q) continue;
    const name = `q.${q.id}`;
    switch (q.type) {
      case "single":
        form[name] = t(s, q.options.find((o) => o.correct)?.id as string);
        break;
      case "multiple":
        form[name] = q.options.filter((o) => o.correct).map((o) => t(s, o.id));
        break;
      case "true-false":
        form[name] = String(q.answer);
        break;
      case "ordering":
        q.items.forEach((item, i) => {
          form[`${name}.${t(s, item.id)}`] = String(i + 1);
        });
        break;
      case "matching":
        for (const p of q.pairs) form[`${name}.${t(s, p.id)}`] = p.match;
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

/** Form fields answering every served question wrongly where it can be wrong (free text still answered). */
export function wrongForm(questions: ReadonlyMap<string, Question>, served: readonly ServedQuestion[], intent = "submit") {
  const form = keyedForm(questions, served, intent);
  for (const s of served) {
    const q = questions.get(s.id);
    const name = `q.${s.id}`;
    if (q?.type === "single") form[name] = t(s, q.options.find((o) => !o.correct)?.id as string);
    if (q?.type === "multiple") form[name] = q.options.filter((o) => !o.correct).map((o) => t(s, o.id));
    if (q?.type === "true-false") form[name] = String(!q.answer);
    if (q?.type === "ordering") {
      for (const [i, item] of q.items.entries()) form[`${name}.${t(s, item.id)}`] = String(q.items.length - i);
    }
    if (q?.type === "matching") {
      const labels = [...new Set(q.pairs.map((p) => p.match))];
      for (const p of q.pairs) form[`${name}.${t(s, p.id)}`] = labels.find((l) => l !== p.match) as string;
    }
  }
  return form;
}
