import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { TrustedHtml } from "#app/components/trusted-html";
import { getCurriculum, getQuiz } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { canStart } from "#app/domain/quiz/rules";
import { attemptsFor, closeIfExpired, startAttempt } from "#app/models/quiz.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} — Attune` : "Quiz — Attune" }];

const WHY: Record<string, string> = {
  "in-progress": "You have an attempt in progress.",
  "no-attempts-left": "You have used all your attempts.",
  "already-passed": "You have passed this quiz.",
  cooldown: "You can try again after a short pause.",
};

async function loadQuiz(quizId: string | undefined) {
  const quiz = quizId ? await getQuiz(quizId) : null;
  if (!quiz) throw new Response("Not found", { status: 404 });
  return quiz;
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "quiz:take");
  const quiz = await loadQuiz(args.params.quizId);
  const db = getDb();
  let attempts = await attemptsFor(db, user.id, quiz.id);
  const open = attempts.find((a) => a.status === "IN_PROGRESS");
  if (open && (await closeIfExpired(db, open, quiz))) attempts = await attemptsFor(db, user.id, quiz.id);
  const decision = canStart(quiz.settings, attempts, new Date());
  const module = quiz.module ? (await getCurriculum()).modules.find((m) => m.frontmatter.id === quiz.module)?.frontmatter : undefined;
  return {
    id: quiz.id,
    title: quiz.title,
    introHtml: quiz.intro ?? "",
    module: module ? { slug: module.slug, title: module.title } : null,
    settings: {
      passMark: quiz.settings.passMark,
      purpose: quiz.settings.purpose,
      attempts: quiz.settings.attempts,
      timeLimitMinutes: quiz.settings.timeLimitMinutes ?? null,
      review: quiz.settings.review,
    },
    attempts: attempts.map((a) => ({
      id: a.id,
      status: a.status,
      percent: a.percent,
      passed: a.passed,
      late: a.late,
      startedAt: a.startedAt.toISOString().slice(0, 16).replace("T", " "),
    })),
    inProgress: attempts.find((a) => a.status === "IN_PROGRESS")?.id ?? null,
    canStart: decision.ok,
    why: decision.ok
      ? null
      : `${WHY[decision.reason] ?? ""}${decision.retryAt ? ` (from ${decision.retryAt.toISOString().slice(0, 16).replace("T", " ")} UTC)` : ""}`,
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "quiz:take");
  const quiz = await loadQuiz(args.params.quizId);
  const result = await startAttempt(getDb(), { userId: user.id, quiz });
  if (!result.ok) return data({ error: WHY[result.reason] ?? "You cannot start an attempt now." }, { status: 409 });
  return redirect(`/quizzes/${quiz.id}/attempts/${result.attemptId}`);
}

const STATUS: Record<string, string> = { IN_PROGRESS: "in progress", AWAITING_MARKING: "awaiting marking", COMPLETE: "complete" };

export default function QuizOverview() {
  const q = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow-wide">
      <p>{q.module ? <Link to={`/modules/${q.module.slug}`}>← {q.module.title}</Link> : <Link to="/modules">← Course</Link>}</p>
      <h1>{q.title}</h1>
      {q.introHtml ? <TrustedHtml className="lead" html={q.introHtml} /> : null}
      <ul>
        {q.settings.purpose === "formative" ? (
          <li>
            For practice and feedback, not a pass or fail: {q.settings.passMark}% is a guide to how secure the material is. Submit an
            attempt with every question answered to complete the module.
          </li>
        ) : (
          <li>Pass mark: {q.settings.passMark}%</li>
        )}
        <li>Attempts: {q.settings.attempts === 0 ? "unlimited" : q.settings.attempts}</li>
        <li>Time limit: {q.settings.timeLimitMinutes ? `${q.settings.timeLimitMinutes} minutes` : "none"}</li>
        <li>
          Answers and feedback:{" "}
          {q.settings.review === "immediately"
            ? "shown as soon as you submit"
            : q.settings.review === "after-close"
              ? "shown once your result is final and you cannot try again"
              : "not shown"}
        </li>
      </ul>
      {result?.error ? (
        <div className="alert alert--error" role="alert">
          {result.error}
        </div>
      ) : null}
      <div className="actions">
        {q.inProgress ? (
          <Link className="button" to={`/quizzes/${q.id}/attempts/${q.inProgress}`}>
            Resume your attempt
          </Link>
        ) : q.canStart ? (
          <Form method="post">
            <button type="submit" className="button">
              {q.attempts.length ? "Start a new attempt" : "Start the quiz"}
            </button>
          </Form>
        ) : (
          <p role="status">{q.why}</p>
        )}
      </div>
      {q.attempts.length ? (
        <section aria-labelledby="attempts">
          <h2 id="attempts">Your attempts</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Started (UTC)</th>
                <th scope="col">Status</th>
                <th scope="col">Score</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {q.attempts.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/quizzes/${q.id}/attempts/${a.id}`}>{a.startedAt}</Link>
                  </td>
                  <td>
                    {STATUS[a.status]}
                    {a.late ? " (late)" : ""}
                  </td>
                  <td>{a.percent === null ? "—" : `${a.percent}%`}</td>
                  <td>
                    {q.settings.purpose === "formative"
                      ? a.status === "IN_PROGRESS"
                        ? "—"
                        : "Submitted"
                      : a.passed === null
                        ? "—"
                        : a.passed
                          ? "Passed"
                          : "Not passed"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
