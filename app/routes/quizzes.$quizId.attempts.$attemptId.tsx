import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { QuizQuestionField, QuizQuestionReview } from "#app/components/quiz-question";
import { TrustedHtml } from "#app/components/trusted-html";
import { getQuiz } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { AnswerError, AttemptFormSchema, readAnswers, submissionProblems } from "#app/domain/quiz/answers";
import { reviewLevel } from "#app/domain/quiz/rules";
import { scoreAttempt } from "#app/domain/quiz/score";
import { questionIndex } from "#app/domain/quiz/serve";
import { publicAnswer, publicQuestion, publicVignettes, reviewQuestion } from "#app/domain/quiz/view";
import { formToObject, parseWith, readForm } from "#app/forms/parse";
import { attemptsFor, closeIfExpired, getOwnAttempt, marksFor, saveAnswers, submitAttempt } from "#app/models/quiz.server";

export const meta: MetaFunction = () => [{ title: "Quiz attempt — Attune" }];

/** The quiz and the signed-in person's own attempt at it; anything else is 404. */
async function load(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "quiz-attempt:view");
  const quiz = args.params.quizId ? await getQuiz(args.params.quizId) : null;
  const attempt = quiz && args.params.attemptId ? await getOwnAttempt(getDb(), user.id, args.params.attemptId) : null;
  if (!quiz || !attempt || attempt.quizId !== quiz.id) throw new Response("Not found", { status: 404 });
  return { user, quiz, attempt };
}

export async function loader(args: LoaderFunctionArgs) {
  const loaded = await load(args);
  const { user, quiz } = loaded;
  let attempt = loaded.attempt;
  const db = getDb();
  if (await closeIfExpired(db, attempt, quiz)) attempt = (await getOwnAttempt(db, user.id, attempt.id)) ?? attempt;
  const index = questionIndex(quiz);
  const served = attempt.served.filter((s) => index.has(s.id));
  const base = { quizId: quiz.id, title: quiz.title, attemptId: attempt.id };

  const questionOf = (id: string) => index.get(id) as NonNullable<ReturnType<typeof index.get>>;
  const guidance = quiz.settings.purpose === "formative";

  if (attempt.status === "IN_PROGRESS") {
    const questions = served.map((s, i) => publicQuestion(questionOf(s.id), s, i + 1));
    // Saved answers as the page names them: the attempt's tokens, never the content's ids.
    const answers = Object.fromEntries(
      served.flatMap((s) => {
        const shown = publicAnswer(questionOf(s.id), s, attempt.answers[s.id]);
        return shown === undefined ? [] : [[s.id, shown]];
      }),
    );
    return {
      ...base,
      mode: "take" as const,
      questions,
      vignettes: publicVignettes(quiz, questions),
      answers,
      deadline: attempt.deadline?.toISOString() ?? null,
      result: null,
      review: null,
    };
  }

  const marks = await marksFor(db, attempt.id);
  const score = scoreAttempt(served, index, attempt.answers, Object.fromEntries([...marks].map(([k, m]) => [k, m.points])), quiz.settings, {
    late: attempt.late,
  });
  const all = await attemptsFor(db, user.id, quiz.id);
  const level = reviewLevel(quiz.settings, attempt, all);
  const review =
    level === "none"
      ? null
      : served.map((s, i) =>
          reviewQuestion(
            questionOf(s.id),
            s,
            i + 1,
            attempt.answers[s.id],
            score.questions[i] as (typeof score.questions)[number],
            marks.get(s.id)?.feedback || null,
            level,
          ),
        );
  return {
    ...base,
    mode: "result" as const,
    questions: null,
    vignettes: review ? publicVignettes(quiz, review) : [],
    answers: null,
    deadline: null,
    result: {
      status: attempt.status,
      score: attempt.score,
      max: attempt.maxScore,
      percent: attempt.percent,
      passed: attempt.passed,
      late: attempt.late,
      lateRule: quiz.settings.late,
      passMark: quiz.settings.passMark,
      guidance,
      reviewSetting: quiz.settings.review,
      reviewLevel: level,
    },
    review,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, quiz, attempt } = await load(args);
  if (attempt.status !== "IN_PROGRESS") {
    return data({ error: "This attempt has already been submitted; nothing was changed.", errors: null, saved: false }, { status: 409 });
  }
  const form = await readForm(args.request);
  const entries = [...form.entries()];
  if (entries.some(([, v]) => typeof v !== "string"))
    return data({ error: "This form takes no files; nothing was saved.", errors: null, saved: false }, { status: 400 });
  const fields = entries as [string, string][];
  const parsed = parseWith(AttemptFormSchema, formToObject(form));
  if (!parsed.ok) {
    return data({ error: `${Object.values(parsed.errors)[0]} Nothing was saved.`, errors: parsed.errors, saved: false }, { status: 400 });
  }
  const intent = parsed.data.intent;
  const index = questionIndex(quiz);
  let answers: ReturnType<typeof readAnswers>;
  try {
    answers = readAnswers(fields, attempt.served, index);
  } catch (error) {
    if (error instanceof AnswerError) {
      const errors = error.questionId ? { [error.questionId]: error.message } : null;
      return data({ error: `${error.message} Nothing was saved.`, errors, saved: false }, { status: 400 });
    }
    throw error;
  }
  const db = getDb();
  if (intent === "save") {
    await saveAnswers(db, { userId: user.id, attemptId: attempt.id, answers });
    return { error: null, errors: null, saved: true };
  }
  const problems = submissionProblems(answers, index);
  if (Object.keys(problems).length) {
    await saveAnswers(db, { userId: user.id, attemptId: attempt.id, answers });
    return data({ error: "Please fix the answers marked below.", errors: problems, saved: true }, { status: 400 });
  }
  const submitted = await submitAttempt(db, { attempt, quiz, answers, at: new Date() });
  if (!submitted)
    return data({ error: "This attempt has already been submitted; nothing was changed.", errors: null, saved: false }, { status: 409 });
  return redirect(`/quizzes/${quiz.id}/attempts/${attempt.id}`);
}

function Vignettes({ vignettes }: { vignettes: { id: string; title: string; html: string }[] }) {
  return (
    <>
      {vignettes.map((v) => (
        <aside key={v.id} className="vignette" aria-label={`Case vignette: ${v.title}`} id={`vignette-${v.id}`}>
          <p className="vignette__label">
            Case vignette<span className="vignette__title">{v.title}</span>
          </p>
          <TrustedHtml html={v.html} />
        </aside>
      ))}
    </>
  );
}

export default function Attempt() {
  const a = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (a.mode === "take") {
    return (
      <div className="quiz">
        <p>
          <Link to={`/quizzes/${a.quizId}`}>← {a.title}</Link>
        </p>
        <h1>{a.title}</h1>
        {a.deadline ? (
          <p className="alert" role="note">
            Submit by <time dateTime={a.deadline}>{a.deadline.slice(11, 16)} UTC</time>. Answers submitted later are recorded as late.
          </p>
        ) : null}
        {result?.error ? (
          <div className="alert alert--error" role="alert">
            {result.error}
          </div>
        ) : result?.saved ? (
          <div className="alert alert--success" role="status">
            Your answers are saved. You can come back to this attempt later.
          </div>
        ) : null}
        <Vignettes vignettes={a.vignettes} />
        <Form method="post" noValidate>
          {a.questions.map((q) => (
            <QuizQuestionField key={q.id} q={q} answer={a.answers[q.id]} error={result?.errors?.[q.id]} />
          ))}
          <div className="actions">
            <button type="submit" name="intent" value="submit" className="button" disabled={busy}>
              Submit answers
            </button>
            <button type="submit" name="intent" value="save" className="button button--secondary" disabled={busy}>
              Save and finish later
            </button>
          </div>
        </Form>
      </div>
    );
  }
  const r = a.result;
  return (
    <div className="quiz">
      <p>
        <Link to={`/quizzes/${a.quizId}`}>← {a.title}</Link>
      </p>
      <h1>Your result</h1>
      <div className={`alert ${r.guidance ? "" : r.passed ? "alert--success" : r.passed === false ? "alert--error" : ""}`} role="status">
        {r.status === "AWAITING_MARKING" ? (
          <p>
            Submitted. Your answers that a trainer marks are <strong>awaiting marking</strong>; your result appears here once they are
            marked. Marks so far: {r.score} of {r.max}.
          </p>
        ) : r.guidance ? (
          <p>
            You scored <strong>{r.percent}%</strong> ({r.score} of {r.max}). As a guide, {r.passMark}% or more suggests the module's
            material is secure; this quiz is for practice and feedback, not a pass or fail.
          </p>
        ) : (
          <p>
            You scored <strong>{r.percent}%</strong> ({r.score} of {r.max}); the pass mark is {r.passMark}%.{" "}
            <strong>{r.passed ? "Passed." : "Not passed."}</strong>
          </p>
        )}
        {r.late ? (
          <p>This attempt was submitted after the time limit{r.lateRule === "zero" ? " and, under this quiz's rule, scores zero" : ""}.</p>
        ) : null}
      </div>
      {a.review ? (
        <>
          {r.reviewLevel === "own" ? (
            <p className="muted">
              While you can still try again, review shows which of your own answers were right and the feedback on the choices you made. The
              full answers and explanations are shown once your result is final.
            </p>
          ) : null}
          <Vignettes vignettes={a.vignettes} />
          {a.review.map((q) => (
            <QuizQuestionReview key={q.id} q={q} />
          ))}
        </>
      ) : (
        <p className="muted">
          {r.reviewSetting === "never"
            ? "Answers and feedback are not shown for this quiz."
            : "Answers and feedback are shown once your result is final and you can no longer try again."}
        </p>
      )}
    </div>
  );
}
