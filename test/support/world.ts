// Things integration tests build through the app's own models and routes: cohorts, quiz attempts.
import { getQuiz } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { questionIndex, type ServedQuestion } from "#app/domain/quiz/serve";
import { addCohortMember, createCohort } from "#app/models/cohort.server";
import * as quizPage from "#app/routes/quizzes.$quizId._index";
import * as attemptPage from "#app/routes/quizzes.$quizId.attempts.$attemptId";
import { callAction, makeUser } from "./app";
import { keyedForm } from "./quiz";

/** A cohort with these trainers and trainees (the first trainer supervises the trainees). */
export async function makeCohort({ trainers, trainees }: { trainers: string[]; trainees: string[] }) {
  const admin = await makeUser(["ADMIN"]);
  const db = getDb();
  const cohort = await createCohort(db, { name: `Cohort ${Math.random()}`, startsOn: new Date(), endsOn: null, by: admin.id });
  if (!cohort.ok) throw new Error("could not create the cohort");
  for (const userId of trainers)
    await addCohortMember(db, { cohortId: cohort.id, userId, role: "TRAINER", supervisorId: null, by: admin.id });
  for (const userId of trainees)
    await addCohortMember(db, { cohortId: cohort.id, userId, role: "TRAINEE", supervisorId: trainers[0] ?? null, by: admin.id });
  return cohort.id;
}

/** Starts an attempt through the quiz page, as the trainee's browser would; returns its id. */
export async function startAttempt(cookie: string, quizId: string): Promise<string> {
  const out = await callAction(quizPage.action, { path: `/quizzes/${quizId}`, params: { quizId }, cookie, form: {} });
  const location = out.headers.get("Location") ?? "";
  if (out.status !== 302 || !location.startsWith(`/quizzes/${quizId}/attempts/`)) throw new Error(`could not start ${quizId}`);
  return location.split("/").pop() as string;
}

/** Starts and submits an attempt answered as the key says (free text gets a sentence). */
export async function submitAttempt(cookie: string, quizId: string): Promise<string> {
  const attemptId = await startAttempt(cookie, quizId);
  const quiz = await getQuiz(quizId);
  if (!quiz) throw new Error(`no quiz ${quizId}`);
  const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
  const form = keyedForm(questionIndex(quiz), JSON.parse(row.served) as ServedQuestion[]);
  const out = await callAction(attemptPage.action, { path: "/x", params: { quizId, attemptId }, cookie, form });
  if (out.status !== 302) throw new Error(`could not submit ${quizId}: ${out.status} ${JSON.stringify(out.data)}`);
  return attemptId;
}
