import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { TrustedHtml } from "#app/components/trusted-html";
import { getQuiz } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { can } from "#app/domain/permissions";
import { markingFormSchema } from "#app/domain/quiz/marking";
import { IPAF_PART_LABELS, IPAF_PARTS, type IpafPart, MANUAL_TYPES } from "#app/domain/quiz/schema";
import { questionIndex } from "#app/domain/quiz/serve";
import { formToObject, parseWith, readForm } from "#app/forms/parse";
import { getAttemptForMarking, saveMarks } from "#app/models/quiz.server";

export const meta: MetaFunction = () => [{ title: "Mark an attempt — Attune" }];

/**
 * The attempt, if the marker may mark it (trainer of the trainee's cohort, or
 * admin) and it has been submitted; else 404 — a draft still in progress is
 * the trainee's alone.
 */
async function load(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "quiz:mark");
  const found = args.params.attemptId
    ? await getAttemptForMarking(getDb(), { id: user.id, isAdmin: can(user, "quiz:mark") }, args.params.attemptId)
    : null;
  const quiz = found ? await getQuiz(found.attempt.quizId) : null;
  if (!found || !quiz) throw new Response("Not found", { status: 404 });
  const index = questionIndex(quiz);
  const manual = found.attempt.served
    .map((s, i) => ({ number: i + 1, q: index.get(s.id) }))
    .filter((x): x is { number: number; q: NonNullable<typeof x.q> } => Boolean(x.q && MANUAL_TYPES.includes(x.q.type)))
    .filter(({ q }) => found.attempt.answers[q.id] !== undefined);
  return { user, quiz, ...found, manual };
}

export async function loader(args: LoaderFunctionArgs) {
  const { quiz, attempt, traineeName, marks, manual } = await load(args);
  const markOf = new Map(marks.map((m) => [m.questionId, m]));
  return {
    quizTitle: quiz.title,
    traineeName,
    status: attempt.status,
    questions: manual.map(({ number, q }) => {
      const answer = attempt.answers[q.id];
      return {
        id: q.id,
        number,
        points: q.points,
        promptHtml: q.prompt,
        answer: typeof answer === "string" ? { text: answer } : (answer as Record<string, string>),
        modelAnswer: q.type === "short-text" || q.type === "ipaf" ? q.modelAnswer : "",
        markingNotes: q.type === "short-text" || q.type === "ipaf" ? (q.markingNotes ?? "") : "",
        mark: markOf.get(q.id) ?? null,
      };
    }),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, quiz, attempt, manual } = await load(args);
  const form = await readForm(args.request);
  const parsed = parseWith(markingFormSchema(manual.map(({ q }) => ({ id: q.id, points: q.points }))), formToObject(form));
  if (!parsed.ok) return data({ errors: parsed.errors, error: "Please correct the marks below; nothing was saved." }, { status: 400 });
  const saved = await saveMarks(getDb(), { attempt, quiz, marks: parsed.data, markerId: user.id });
  if (!saved) return data({ errors: {} as Record<string, string>, error: "This attempt is no longer awaiting marking." }, { status: 409 });
  return redirect("/marking");
}

export default function MarkAttempt() {
  const m = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/marking">← Marking</Link>
      </p>
      <h1>
        {m.traineeName}: {m.quizTitle}
      </h1>
      {result?.error ? (
        <div className="alert alert--error" role="alert">
          {result.error}
        </div>
      ) : null}
      <Form method="post" noValidate>
        {m.questions.map((q) => (
          <section key={q.id} className="quiz-question" aria-labelledby={`mark-${q.id}`}>
            <h2 id={`mark-${q.id}`}>
              Question {q.number} <span className="muted">({q.points} marks)</span>
            </h2>
            <TrustedHtml html={q.promptHtml} />
            <div className="grid">
              <div className="panel">
                <h3>Trainee's answer</h3>
                {Object.entries(q.answer).map(([part, text]) => (
                  <div key={part}>
                    {part !== "text" ? <strong>{IPAF_PART_LABELS[part as IpafPart] ?? part}</strong> : null}
                    <p className="journal-entry__text">{text}</p>
                  </div>
                ))}
              </div>
              <div className="panel">
                <h3>Model answer</h3>
                {typeof q.modelAnswer === "string" ? (
                  <TrustedHtml html={q.modelAnswer} />
                ) : (
                  IPAF_PARTS.map((part) => (
                    <div key={part}>
                      <strong>{IPAF_PART_LABELS[part]}</strong>
                      <TrustedHtml html={(q.modelAnswer as Record<string, string>)[part] ?? ""} />
                    </div>
                  ))
                )}
                {q.markingNotes ? (
                  <>
                    <h3>Marking notes</h3>
                    <TrustedHtml html={q.markingNotes} />
                  </>
                ) : null}
              </div>
            </div>
            <div className="field">
              <label htmlFor={`points-${q.id}`}>Mark (0 to {q.points})</label>
              <input
                id={`points-${q.id}`}
                name={`points.${q.id}`}
                type="number"
                min={0}
                max={q.points}
                step={0.5}
                required
                defaultValue={q.mark?.points ?? ""}
                aria-invalid={result?.errors?.[`points.${q.id}`] ? true : undefined}
                aria-describedby={result?.errors?.[`points.${q.id}`] ? `points-${q.id}-error` : undefined}
              />
              {result?.errors?.[`points.${q.id}`] ? (
                <p className="field-error" id={`points-${q.id}-error`}>
                  {result.errors[`points.${q.id}`]}
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor={`feedback-${q.id}`}>Feedback to the trainee</label>
              <textarea
                id={`feedback-${q.id}`}
                name={`feedback.${q.id}`}
                rows={3}
                maxLength={5000}
                defaultValue={q.mark?.feedback ?? ""}
                aria-invalid={result?.errors?.[`feedback.${q.id}`] ? true : undefined}
                aria-describedby={result?.errors?.[`feedback.${q.id}`] ? `feedback-${q.id}-error` : undefined}
              />
              {result?.errors?.[`feedback.${q.id}`] ? (
                <p className="field-error" id={`feedback-${q.id}-error`}>
                  {result.errors[`feedback.${q.id}`]}
                </p>
              ) : null}
            </div>
          </section>
        ))}
        <button type="submit" className="button">
          Save marks and release to the trainee
        </button>
      </Form>
    </>
  );
}
