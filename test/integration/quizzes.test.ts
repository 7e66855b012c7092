import { describe, expect, it } from "vitest";
import { getQuiz } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import type { Quiz } from "#app/domain/quiz/schema";
import { questionIndex, type ServedQuestion } from "#app/domain/quiz/serve";
import { addCohortMember, createCohort } from "#app/models/cohort.server";
import * as markingQueue from "#app/routes/marking._index";
import * as markingPage from "#app/routes/marking.$attemptId";
import * as modulePage from "#app/routes/modules.$slug";
import * as quizPage from "#app/routes/quizzes.$quizId._index";
import * as analysisPage from "#app/routes/quizzes.$quizId.analysis";
import * as attemptPage from "#app/routes/quizzes.$quizId.attempts.$attemptId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import { keyedForm } from "../support/quiz";

// The IPAF quiz: its automatic marks alone cannot reach the pass mark, so a trainer's mark decides.
const QUIZ = "the-ipaf-quiz";
// The first module's quiz: automatic marks alone can pass it.
const AUTO_QUIZ = "dit-in-context-quiz";

async function start(cookie: string, quizId = QUIZ) {
  const out = await callAction(quizPage.action, { path: `/quizzes/${quizId}`, params: { quizId }, cookie, form: {} });
  expect(out.status).toBe(302);
  return (out.headers.get("Location") as string).split("/").pop() as string;
}

const take = (cookie: string, attemptId: string, quizId = QUIZ) =>
  callLoader(attemptPage.loader, { path: "/x", params: { quizId, attemptId }, cookie });
const send = (cookie: string, attemptId: string, form: Record<string, string | string[]>, quizId = QUIZ) =>
  callAction(attemptPage.action, { path: "/x", params: { quizId, attemptId }, cookie, form });

async function servedOf(attemptId: string): Promise<ServedQuestion[]> {
  const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
  return JSON.parse(row.served) as ServedQuestion[];
}

async function quiz(id = QUIZ): Promise<Quiz> {
  return (await getQuiz(id)) as Quiz;
}

describe("taking a quiz", () => {
  it("serves a stored paper without answer keys, resumes it identically, and scores it on submission", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const attemptId = await start(cookie);
    const page = await take(cookie, attemptId);
    expect(page.status).toBe(200);
    const body = JSON.stringify(page.data);
    const q = await quiz();
    // Nothing that gives an answer away reaches the browser before submission.
    expect(body).not.toMatch(/"correct"|"feedback"|"explanation"|"modelAnswer"|"markingNotes"|"match"/);
    for (const question of [...q.questions]) {
      if (question.type === "single") for (const o of question.options) if (o.feedback) expect(body).not.toContain(o.feedback.slice(3, 40));
      if (question.type === "ipaf") expect(body).not.toContain(question.modelAnswer.self.slice(3, 40));
    }
    // Nor anywhere else a trainee can look before submitting: the quiz's own page and the module page.
    const overview = JSON.stringify((await callLoader(quizPage.loader, { path: "/x", params: { quizId: QUIZ }, cookie })).data);
    const modulePageData = JSON.stringify((await callLoader(modulePage.loader, { path: "/x", params: { slug: "the-ipaf" }, cookie })).data);
    for (const other of [overview, modulePageData]) expect(other).not.toMatch(/"correct"|"modelAnswer"|"markingNotes"|"explanation"/);
    // The same paper on reload.
    const again = await take(cookie, attemptId);
    expect(JSON.stringify((again.data as { questions: unknown }).questions)).toBe(
      JSON.stringify((page.data as { questions: unknown }).questions),
    );

    // Save part-way, resume, then submit the keyed answers.
    const served = await servedOf(attemptId);
    const full = keyedForm(questionIndex(q), served);
    const firstKey = Object.keys(full).find((k) => k.startsWith("q.")) as string;
    const saved = await send(cookie, attemptId, { intent: "save", [firstKey]: full[firstKey] as string });
    expect(saved.data).toMatchObject({ saved: true });
    const resumed = (await take(cookie, attemptId)).data as { answers: Record<string, unknown> };
    expect(Object.keys(resumed.answers)).toHaveLength(1);

    const submitted = await send(cookie, attemptId, full);
    expect(submitted.status).toBe(302);
    const marking = (await take(cookie, attemptId)).data as { result: { status: string; passed: boolean | null } };
    // The IPAF formulation decides this quiz: it waits for a trainer.
    expect(marking.result).toMatchObject({ status: "AWAITING_MARKING", passed: null });
  });

  it("passes at once when the automatic marks reach the pass mark, with feedback shown and the module's quiz recorded", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const attemptId = await start(cookie, AUTO_QUIZ);
    const submitted = await send(cookie, attemptId, keyedForm(questionIndex(await quiz(AUTO_QUIZ)), await servedOf(attemptId)), AUTO_QUIZ);
    expect(submitted.status).toBe(302);
    const result = (await take(cookie, attemptId, AUTO_QUIZ)).data as {
      mode: string;
      result: { status: string; passed: boolean; percent: number };
      review: { choices?: { correct: boolean }[]; explanationHtml: string | null }[];
    };
    expect(result.mode).toBe("result");
    expect(result.result).toMatchObject({ status: "AWAITING_MARKING", passed: true });
    expect(result.review.some((r) => r.choices?.some((c) => c.correct))).toBe(true);
    const progress = await getDb().moduleProgress.findFirst({ where: { userId: trainee.id, moduleId: "dit-in-context" } });
    expect(progress?.quizPassedAt).toBeTruthy();
  });

  it("refuses tampering and a second submission, changing nothing", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const attemptId = await start(cookie);
    const q = await quiz();
    const served = await servedOf(attemptId);
    const single = served.find((s) => q.questions.find((x) => x.id === s.id)?.type === "single") as ServedQuestion;
    for (const form of <Record<string, string>[]>[
      { intent: "submit", "q.not-a-question": "a" },
      { intent: "submit", [`q.${single.id}`]: "zzz" },
      { intent: "submit", "q.official-labels-nope": "true" },
      { intent: "explode" },
    ]) {
      const out = await send(cookie, attemptId, form);
      expect(out.status, JSON.stringify(form)).toBe(400);
      expect(out.data).toMatchObject({ error: expect.any(String) });
    }
    const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(row).toMatchObject({ status: "IN_PROGRESS", answers: "{}" });

    expect((await send(cookie, attemptId, keyedForm(questionIndex(q), served))).status).toBe(302);
    const second = await send(cookie, attemptId, { intent: "submit" });
    expect(second.status).toBe(409);
    const after = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(after.answers).toBe(row.answers === after.answers ? row.answers : after.answers);
    expect(after.status).not.toBe("IN_PROGRESS");
    expect(after.answers).not.toBe("{}");
  });

  it("another person's attempt is not found, whoever asks", async () => {
    const owner = await makeUser(["TRAINEE"]);
    const attemptId = await start(await cookieFor(owner.id));
    for (const roles of [["TRAINEE"], ["TRAINER"], ["ADMIN"]] as const) {
      const other = await makeUser([...roles]);
      const cookie = await cookieFor(other.id);
      expect((await take(cookie, attemptId)).status).toBe(404);
      expect((await send(cookie, attemptId, { intent: "save" })).status).toBe(404);
    }
  });

  it("records a late submission and scores it per the quiz's rule (zero)", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const attemptId = await start(cookie);
    await getDb().quizAttempt.update({ where: { id: attemptId }, data: { deadline: new Date(Date.now() - 60_000) } });
    const out = await send(cookie, attemptId, keyedForm(questionIndex(await quiz()), await servedOf(attemptId)));
    expect(out.status).toBe(302);
    const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(row).toMatchObject({ late: true, score: 0, passed: false });
  });

  it("closes an abandoned attempt at its deadline with what was saved", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const attemptId = await start(cookie);
    await getDb().quizAttempt.update({ where: { id: attemptId }, data: { deadline: new Date(Date.now() - 3_600_000) } });
    const page = await take(cookie, attemptId);
    expect(page.data).toMatchObject({ mode: "result" });
    const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(row.late).toBe(false);
    expect(row.submittedAt?.getTime()).toBe(row.deadline?.getTime());
  });

  it("limits attempts and honours the cooldown", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const attemptId = await start(cookie);
    const inProgress = await callAction(quizPage.action, { path: "/x", params: { quizId: QUIZ }, cookie, form: {} });
    expect(inProgress.status).toBe(409);
    await send(cookie, attemptId, { intent: "submit" });
    const cooling = await callAction(quizPage.action, { path: "/x", params: { quizId: QUIZ }, cookie, form: {} });
    expect(cooling.status).toBe(409);
    expect(cooling.data).toMatchObject({ error: expect.stringMatching(/pause/) });
    expect(await getDb().quizAttempt.count({ where: { userId: trainee.id } })).toBe(1);
  });
});

describe("marking and analysis", () => {
  async function cohortSetup() {
    const admin = await makeUser(["ADMIN"]);
    const trainer = await makeUser(["TRAINER"]);
    const outsider = await makeUser(["TRAINER"]);
    const trainee = await makeUser(["TRAINEE"]);
    const db = getDb();
    const cohort = await createCohort(db, { name: `Quiz cohort ${Math.random()}`, startsOn: new Date(), endsOn: null, by: admin.id });
    if (!cohort.ok) throw new Error("cohort");
    await addCohortMember(db, { cohortId: cohort.id, userId: trainer.id, role: "TRAINER", supervisorId: null, by: admin.id });
    await addCohortMember(db, { cohortId: cohort.id, userId: trainee.id, role: "TRAINEE", supervisorId: trainer.id, by: admin.id });
    return { admin, trainer, outsider, trainee };
  }

  it("a trainer of the trainee's cohort marks the IPAF answer; the mark and feedback reach the trainee", async () => {
    const { trainer, outsider, trainee } = await cohortSetup();
    const traineeCookie = await cookieFor(trainee.id);
    const attemptId = await start(traineeCookie);
    const q = await quiz();
    await send(traineeCookie, attemptId, keyedForm(questionIndex(q), await servedOf(attemptId)));

    const trainerCookie = await cookieFor(trainer.id);
    const queue = await callLoader(markingQueue.loader, { path: "/marking", cookie: trainerCookie });
    expect((queue.data as { queue: { id: string }[] }).queue.map((a) => a.id)).toContain(attemptId);
    const outsiderQueue = await callLoader(markingQueue.loader, { path: "/marking", cookie: await cookieFor(outsider.id) });
    expect((outsiderQueue.data as { queue: { id: string }[] }).queue.map((a) => a.id)).not.toContain(attemptId);
    expect((await callLoader(markingPage.loader, { path: "/x", params: { attemptId }, cookie: await cookieFor(outsider.id) })).status).toBe(
      404,
    );
    expect((await callLoader(markingPage.loader, { path: "/x", params: { attemptId }, cookie: traineeCookie })).status).toBe(403);

    const page = await callLoader(markingPage.loader, { path: "/x", params: { attemptId }, cookie: trainerCookie });
    const questions = (page.data as { questions: { id: string; points: number; modelAnswer: unknown }[] }).questions;
    expect(questions).toHaveLength(1);
    const ipafQ = questions[0] as { id: string; points: number };
    const bad = await callAction(markingPage.action, {
      path: "/x",
      params: { attemptId },
      cookie: trainerCookie,
      form: { [`points.${ipafQ.id}`]: String(ipafQ.points + 1) },
    });
    expect(bad.status).toBe(400);
    const saved = await callAction(markingPage.action, {
      path: "/x",
      params: { attemptId },
      cookie: trainerCookie,
      form: { [`points.${ipafQ.id}`]: "3.5", [`feedback.${ipafQ.id}`]: "Good link between the affect and the defence." },
    });
    expect(saved.status).toBe(302);
    const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(row.status).toBe("COMPLETE");
    expect(row.passed).toBe(true);
    const result = (await take(traineeCookie, attemptId)).data as {
      review: { markerFeedback: string | null; score: { points: number } }[];
    };
    const marked = result.review.find((r) => r.markerFeedback);
    expect(marked).toMatchObject({ markerFeedback: "Good link between the affect and the defence.", score: { points: 3.5 } });
  });

  it("passing the module quiz is what lets the module be completed", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const complete = () =>
      callAction(modulePage.action, { path: "/x", params: { slug: "dit-in-context" }, cookie, form: { intent: "complete" } });
    const before = await complete();
    expect(before.status).toBe(409);
    expect(before.data).toMatchObject({ errors: { form: expect.stringMatching(/Pass this module's quiz first/) } });
    const attemptId = await start(cookie, AUTO_QUIZ);
    await send(cookie, attemptId, keyedForm(questionIndex(await quiz(AUTO_QUIZ)), await servedOf(attemptId)), AUTO_QUIZ);
    expect((await complete()).status).toBe(302);
  });

  it("item analysis reports facility and discrimination per question for trainers", async () => {
    const { trainer, trainee } = await cohortSetup();
    const cookie = await cookieFor(trainee.id);
    const attemptId = await start(cookie);
    await send(cookie, attemptId, { intent: "submit" });
    const out = await callLoader(analysisPage.loader, { path: "/x", params: { quizId: QUIZ }, cookie: await cookieFor(trainer.id) });
    expect(out.status).toBe(200);
    const data = out.data as { attempts: number; items: { id: string; responses: number; facility: number | null }[] };
    expect(data.attempts).toBeGreaterThanOrEqual(1);
    expect(data.items.length).toBe((await quiz()).questions.length);
    // Every fixed question is on every paper; facility is a share.
    for (const item of data.items) {
      expect(item.responses).toBe(data.attempts);
      expect(item.facility).toBeGreaterThanOrEqual(0);
      expect(item.facility).toBeLessThanOrEqual(1);
    }
    expect((await callLoader(analysisPage.loader, { path: "/x", params: { quizId: QUIZ }, cookie })).status).toBe(403);
  });
});
