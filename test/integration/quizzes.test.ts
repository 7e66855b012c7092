import { describe, expect, it } from "vitest";
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
import { callAction, callLoader, cookieFor, makeUser, testContext } from "../support/app";
import { FIXTURE_QUESTIONS, installQuiz, keyedForm, wrongForm } from "../support/quiz";

// Every test runs on fixture quizzes (test/support/quiz.ts), never on the shipped item bank's wording.
// The full fixture: 6 automatic marks and 6 trainer-marked (text 2, IPAF 4), pass mark 60 %: the automatic
// marks alone cannot pass it, so with the free text answered a trainer decides.
const AUTO_ONLY = FIXTURE_QUESTIONS.filter((q) => q.type !== "short-text" && q.type !== "ipaf");

async function start(cookie: string, quiz: Quiz) {
  const out = await callAction(quizPage.action, { path: `/quizzes/${quiz.id}`, params: { quizId: quiz.id }, cookie, form: {} });
  expect(out.status, JSON.stringify(out.data)).toBe(302);
  return (out.headers.get("Location") as string).split("/").pop() as string;
}

const take = (cookie: string, attemptId: string, quiz: Quiz) =>
  callLoader(attemptPage.loader, { path: "/x", params: { quizId: quiz.id, attemptId }, cookie });
const send = (cookie: string, attemptId: string, form: Record<string, string | string[]>, quiz: Quiz) =>
  callAction(attemptPage.action, { path: "/x", params: { quizId: quiz.id, attemptId }, cookie, form });

async function servedOf(attemptId: string): Promise<ServedQuestion[]> {
  const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
  return JSON.parse(row.served) as ServedQuestion[];
}

async function trainee() {
  const user = await makeUser(["TRAINEE"]);
  return { user, cookie: await cookieFor(user.id) };
}

type Review = {
  level: string;
  choices?: ({ id: string; chosen: boolean; correct?: boolean; feedbackHtml: string | null } & Record<string, unknown>)[];
  explanationHtml: string | null;
} & Record<string, unknown>;
type ResultPage = { mode: string; result: { status: string; passed: boolean | null; reviewLevel: string }; review: Review[] | null };

/** Every key the review gives away: none may appear while the person can still try again. */
function expectNoKey(page: ResultPage) {
  const body = JSON.stringify(page);
  // Feedback on one's own choices may show; explanations, model answers and marking notes never.
  expect(body).not.toMatch(/SECRET (explanation|model|marking|IPAF|self|other|affect|defence)/);
  for (const q of page.review ?? []) {
    expect(q.level).toBe("own");
    expect(Object.keys(q)).not.toEqual(expect.arrayContaining(["correctOrder"]));
    expect(Object.keys(q)).not.toEqual(expect.arrayContaining(["correctMatches"]));
    expect(Object.keys(q)).not.toEqual(expect.arrayContaining(["modelAnswer"]));
    expect(q.explanationHtml).toBeNull();
    for (const c of q.choices ?? []) {
      if (c.chosen) continue;
      expect(Object.keys(c)).not.toContain("correct");
      expect(c.feedbackHtml).toBeNull();
    }
  }
}

describe("taking a quiz", () => {
  it("serves a stored paper without answer keys or content ids, resumes it identically, and scores it on submission", async () => {
    const quiz = await installQuiz();
    const { cookie } = await trainee();
    const attemptId = await start(cookie, quiz);
    const page = await take(cookie, attemptId, quiz);
    expect(page.status).toBe(200);
    const body = JSON.stringify(page.data);
    expect(body).not.toMatch(/"correct"|"feedback"|"explanation"|"modelAnswer"|"markingNotes"|"match"|SECRET/);
    // Options, items and statements carry this attempt's tokens, never the content's ids.
    const questions = (page.data as { questions: { options?: { id: string }[]; items?: { id: string }[]; pairs?: { id: string }[] }[] })
      .questions;
    const ids = questions.flatMap((q) => [...(q.options ?? []), ...(q.items ?? []), ...(q.pairs ?? [])].map((x) => x.id));
    expect(ids).toHaveLength(3 + 4 + 4 + 3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    // Nor anywhere else a trainee can look before submitting.
    const overview = JSON.stringify((await callLoader(quizPage.loader, { path: "/x", params: { quizId: quiz.id }, cookie })).data);
    expect(overview).not.toMatch(/"correct"|"modelAnswer"|"markingNotes"|"explanation"|SECRET/);
    const again = await take(cookie, attemptId, quiz);
    expect(JSON.stringify((again.data as { questions: unknown }).questions)).toBe(
      JSON.stringify((page.data as { questions: unknown }).questions),
    );

    // Save part-way (by token), resume with the answer shown by token, then submit the keyed answers.
    const served = await servedOf(attemptId);
    const full = keyedForm(questionIndex(quiz), served);
    const singleToken = full["q.single-q"] as string;
    const saved = await send(cookie, attemptId, { intent: "save", "q.single-q": singleToken }, quiz);
    expect(saved.data).toMatchObject({ saved: true });
    expect((await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).answers).toBe('{"single-q":"a"}');
    const resumed = (await take(cookie, attemptId, quiz)).data as { answers: Record<string, unknown> };
    expect(resumed.answers).toEqual({ "single-q": singleToken });

    expect((await send(cookie, attemptId, full, quiz)).status).toBe(302);
    const result = (await take(cookie, attemptId, quiz)).data as ResultPage;
    expect(result.result).toMatchObject({ status: "AWAITING_MARKING", passed: null });
  });

  it("regression: a blank attempt does not reveal the key to the next one, even awaiting marking; the key comes once no attempt is left", async () => {
    const quiz = await installQuiz({ settings: { attempts: 3, review: "immediately" } });
    const { cookie } = await trainee();
    const first = await start(cookie, quiz);
    expect((await send(cookie, first, { intent: "submit" }, quiz)).status).toBe(302);
    const blank = (await take(cookie, first, quiz)).data as ResultPage;
    expect(blank.result).toMatchObject({ status: "COMPLETE", passed: false, reviewLevel: "own" });
    expect(blank.review).toHaveLength(7);
    expectNoKey(blank);
    expect(JSON.stringify(blank)).not.toContain("SECRET");
    for (const q of blank.review ?? []) for (const c of q.choices ?? []) expect(c).not.toHaveProperty("correct");

    // A second attempt awaiting marking: own answers judged, still no key.
    const second = await start(cookie, quiz);
    expect((await send(cookie, second, keyedForm(questionIndex(quiz), await servedOf(second)), quiz)).status).toBe(302);
    const awaiting = (await take(cookie, second, quiz)).data as ResultPage;
    expect(awaiting.result).toMatchObject({ status: "AWAITING_MARKING", reviewLevel: "own" });
    expectNoKey(awaiting);
    const single = awaiting.review?.find((q) => q.id === "single-q");
    expect(single?.choices?.filter((c) => c.chosen)).toEqual([
      expect.objectContaining({ correct: true, feedbackHtml: expect.any(String) }),
    ]);
    // The first attempt's page is no richer now.
    expectNoKey((await take(cookie, first, quiz)).data as ResultPage);

    // The last attempt: nothing left to copy into, so the full key is shown.
    const third = await start(cookie, quiz);
    await send(cookie, third, { intent: "submit" }, quiz);
    const last = (await take(cookie, third, quiz)).data as ResultPage;
    expect(last.result.reviewLevel).toBe("full");
    expect(JSON.stringify(last)).toContain("SECRET explanation");
    expect(last.review?.find((q) => q.id === "order-q")).toHaveProperty("correctOrder");
  });

  it("gives each attempt its own opaque ids and refuses content ids, unknown and other attempts' tokens, changing nothing", async () => {
    const quiz = await installQuiz({ settings: { attempts: 0 } });
    const { cookie } = await trainee();
    const first = await start(cookie, quiz);
    const firstServed = await servedOf(first);
    await send(cookie, first, { intent: "submit" }, quiz);
    const second = await start(cookie, quiz);
    const served = await servedOf(second);
    const tokens = (p: ServedQuestion[]) => p.flatMap((s) => Object.values(s.tokens ?? {}));
    expect(tokens(served)).toHaveLength(14);
    expect(tokens(served).filter((t) => tokens(firstServed).includes(t))).toEqual([]);
    const page = JSON.stringify((await take(cookie, second, quiz)).data);
    for (const t of tokens(firstServed)) expect(page).not.toContain(t);

    const oldSingle = firstServed.find((s) => s.id === "single-q")?.tokens?.a as string;
    const oldItem = firstServed.find((s) => s.id === "order-q")?.tokens?.a as string;
    for (const form of <Record<string, string>[]>[
      { intent: "save", "q.single-q": "a" },
      { intent: "save", "q.single-q": oldSingle },
      { intent: "save", "q.single-q": "AAAAAAAAAAAA" },
      { intent: "save", "q.order-q.a": "1" },
      { intent: "save", [`q.order-q.${oldItem}`]: "1" },
      { intent: "save", "q.match-q.a": "Mammal" },
      { intent: "save", [`q.order-q.${served.find((s) => s.id === "order-q")?.tokens?.a}`]: "0x1" },
      { intent: "save", [`q.order-q.${served.find((s) => s.id === "order-q")?.tokens?.a}`]: "1e0" },
    ]) {
      const out = await send(cookie, second, form, quiz);
      expect(out.status, JSON.stringify(form)).toBe(400);
      expect(out.data).toMatchObject({ error: expect.stringMatching(/Nothing was saved/), saved: false });
    }
    expect((await getDb().quizAttempt.findUniqueOrThrow({ where: { id: second } })).answers).toBe("{}");
  });

  it("passes at once when the automatic marks reach the pass mark, judging the person's own answers", async () => {
    const quiz = await installQuiz({ questions: AUTO_ONLY });
    const { cookie } = await trainee();
    const attemptId = await start(cookie, quiz);
    expect((await send(cookie, attemptId, keyedForm(questionIndex(quiz), await servedOf(attemptId)), quiz)).status).toBe(302);
    const result = (await take(cookie, attemptId, quiz)).data as ResultPage;
    expect(result.result).toMatchObject({ status: "COMPLETE", passed: true, reviewLevel: "full" });
    expect(result.review?.some((r) => r.choices?.some((c) => c.chosen && c.correct === true))).toBe(true);
  });

  it("refuses tampering and a second submission, changing nothing", async () => {
    const quiz = await installQuiz();
    const { cookie } = await trainee();
    const attemptId = await start(cookie, quiz);
    const served = await servedOf(attemptId);
    for (const form of <Record<string, string>[]>[
      { intent: "submit", "q.not-a-question": "a" },
      { intent: "submit", "q.single-q": "zzz" },
      { intent: "submit", "q.single-q.part": "x" },
      { intent: "explode" },
      {},
    ]) {
      const out = await send(cookie, attemptId, form, quiz);
      expect(out.status, JSON.stringify(form)).toBe(400);
      expect(out.data).toMatchObject({ error: expect.any(String) });
    }
    expect(await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({
      status: "IN_PROGRESS",
      answers: "{}",
    });

    expect((await send(cookie, attemptId, keyedForm(questionIndex(quiz), served), quiz)).status).toBe(302);
    const afterFirst = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(afterFirst.status).toBe("AWAITING_MARKING");
    // A second submission, with different answers, is refused and changes no field.
    const second = await send(cookie, attemptId, wrongForm(questionIndex(quiz), served), quiz);
    expect(second.status).toBe(409);
    expect(await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toEqual(afterFirst);
  });

  it("answers a malformed form body with a 400 and a message, not a 500", async () => {
    const quiz = await installQuiz();
    const { cookie } = await trainee();
    const attemptId = await start(cookie, quiz);
    const request = new Request("http://localhost/x", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=nope" },
      body: "this is not multipart",
    });
    // The shared form reader (app/forms/parse.ts readForm) throws a 400 Response with a JSON message.
    const out = (await Promise.resolve(
      attemptPage.action({ request, params: { quizId: quiz.id, attemptId }, context: testContext() }),
    ).catch((thrown: unknown) => thrown)) as Response;
    expect(out).toBeInstanceOf(Response);
    expect(out.status).toBe(400);
    expect(((await out.json()) as { error: string }).error).toMatch(/could not be read/);
  });

  it("another person's attempt is not found, whoever asks", async () => {
    const quiz = await installQuiz();
    const owner = await trainee();
    const attemptId = await start(owner.cookie, quiz);
    for (const roles of [["TRAINEE"], ["TRAINER"], ["ADMIN"]] as const) {
      const other = await makeUser([...roles]);
      const cookie = await cookieFor(other.id);
      expect((await take(cookie, attemptId, quiz)).status).toBe(404);
      expect((await send(cookie, attemptId, { intent: "save" }, quiz)).status).toBe(404);
    }
  });

  it("records a late submission and scores it per the quiz's rule (zero)", async () => {
    const quiz = await installQuiz({ settings: { timeLimitMinutes: 10, late: "zero" } });
    const { cookie } = await trainee();
    const attemptId = await start(cookie, quiz);
    await getDb().quizAttempt.update({ where: { id: attemptId }, data: { deadline: new Date(Date.now() - 60_000) } });
    expect((await send(cookie, attemptId, keyedForm(questionIndex(quiz), await servedOf(attemptId)), quiz)).status).toBe(302);
    expect(await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })).toMatchObject({
      late: true,
      score: 0,
      passed: false,
    });
  });

  it("closes an abandoned attempt at its deadline with what was saved", async () => {
    const quiz = await installQuiz({ settings: { timeLimitMinutes: 10 } });
    const { cookie } = await trainee();
    const attemptId = await start(cookie, quiz);
    await getDb().quizAttempt.update({ where: { id: attemptId }, data: { deadline: new Date(Date.now() - 3_600_000) } });
    expect((await take(cookie, attemptId, quiz)).data).toMatchObject({ mode: "result" });
    const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(row.late).toBe(false);
    expect(row.submittedAt?.getTime()).toBe(row.deadline?.getTime());
  });

  it("limits attempts and honours the cooldown", async () => {
    const quiz = await installQuiz({ settings: { attempts: 2, cooldownMinutes: 10 } });
    const { user, cookie } = await trainee();
    const attemptId = await start(cookie, quiz);
    const startAgain = () => callAction(quizPage.action, { path: "/x", params: { quizId: quiz.id }, cookie, form: {} });
    expect((await startAgain()).status).toBe(409);
    await send(cookie, attemptId, { intent: "submit" }, quiz);
    const cooling = await startAgain();
    expect(cooling.status).toBe(409);
    expect(cooling.data).toMatchObject({ error: expect.stringMatching(/pause/) });
    expect(await getDb().quizAttempt.count({ where: { userId: user.id } })).toBe(1);
  });
});

describe("formative and summative quizzes", () => {
  it("a formative module quiz completes the module once every question is answered, whatever the score and before marking", async () => {
    const quiz = await installQuiz({ module: "dit-in-context" });
    expect(quiz.settings.purpose).toBe("formative");
    const { user, cookie } = await trainee();
    const complete = () =>
      callAction(modulePage.action, { path: "/x", params: { slug: "dit-in-context" }, cookie, form: { intent: "complete" } });
    const before = await complete();
    expect(before.status).toBe(409);
    expect(before.data).toMatchObject({ errors: { form: expect.stringMatching(/every question answered/) } });

    // Half answered: submitted, but not a reasonable attempt.
    const partial = await start(cookie, quiz);
    const served = await servedOf(partial);
    const wrong = wrongForm(questionIndex(quiz), served);
    const half = Object.fromEntries(Object.entries(wrong).filter(([k]) => !k.startsWith("q.ipaf-q")));
    expect((await send(cookie, partial, half, quiz)).status).toBe(302);
    expect((await complete()).status).toBe(409);

    // Every question answered, all wrong, the free text still awaiting a trainer: the module can be completed.
    const full = await start(cookie, quiz);
    expect((await send(cookie, full, wrongForm(questionIndex(quiz), await servedOf(full)), quiz)).status).toBe(302);
    expect(await getDb().quizAttempt.findUniqueOrThrow({ where: { id: full } })).toMatchObject({
      status: "AWAITING_MARKING",
      passed: false,
    });
    expect((await getDb().moduleProgress.findFirst({ where: { userId: user.id, moduleId: "dit-in-context" } }))?.quizPassedAt).toBeTruthy();
    expect((await complete()).status).toBe(302);
    // The pass mark is guidance only on the result page.
    expect((await take(cookie, full, quiz)).data).toMatchObject({ result: { guidance: true } });
  });

  it("a summative quiz counts only when passed, including a pass decided by a trainer", async () => {
    const quiz = await installQuiz({ module: "the-ipaf", settings: { purpose: "summative" } });
    const { user, cookie } = await trainee();
    const progress = () => getDb().moduleProgress.findFirst({ where: { userId: user.id, moduleId: "the-ipaf" } });
    const failed = await start(cookie, quiz);
    await send(cookie, failed, wrongForm(questionIndex(quiz), await servedOf(failed)), quiz);
    expect((await progress())?.quizPassedAt ?? null).toBeNull();
    expect((await take(cookie, failed, quiz)).data).toMatchObject({ result: { guidance: false } });

    const admin = await makeUser(["ADMIN"]);
    const keyed = await start(cookie, quiz);
    await send(cookie, keyed, keyedForm(questionIndex(quiz), await servedOf(keyed)), quiz);
    expect((await progress())?.quizPassedAt ?? null).toBeNull();
    const marked = await callAction(markingPage.action, {
      path: "/x",
      params: { attemptId: keyed },
      cookie: await cookieFor(admin.id),
      form: { "points.text-q": "2", "points.ipaf-q": "4" },
    });
    expect(marked.status).toBe(302);
    expect((await progress())?.quizPassedAt).toBeTruthy();
  });
});

describe("marking and analysis", () => {
  async function cohortSetup(trainees = 1) {
    const admin = await makeUser(["ADMIN"]);
    const trainer = await makeUser(["TRAINER"]);
    const outsider = await makeUser(["TRAINER"]);
    const db = getDb();
    const cohort = await createCohort(db, { name: `Quiz cohort ${Math.random()}`, startsOn: new Date(), endsOn: null, by: admin.id });
    if (!cohort.ok) throw new Error("cohort");
    await addCohortMember(db, { cohortId: cohort.id, userId: trainer.id, role: "TRAINER", supervisorId: null, by: admin.id });
    const members = [];
    for (let i = 0; i < trainees; i++) {
      const t = await makeUser(["TRAINEE"]);
      await addCohortMember(db, { cohortId: cohort.id, userId: t.id, role: "TRAINEE", supervisorId: trainer.id, by: admin.id });
      members.push(t);
    }
    return { admin, trainer, outsider, trainee: members[0] as { id: string }, members };
  }

  it("a trainer of the trainee's cohort marks the IPAF answer; the mark and feedback reach the trainee", async () => {
    const quiz = await installQuiz();
    const { trainer, outsider, trainee } = await cohortSetup();
    const traineeCookie = await cookieFor(trainee.id);
    const attemptId = await start(traineeCookie, quiz);
    const trainerCookie = await cookieFor(trainer.id);
    const markingLoad = (cookie: string) => callLoader(markingPage.loader, { path: "/x", params: { attemptId }, cookie });

    // A draft still in progress is nobody's to read, not even the trainer's.
    await send(traineeCookie, attemptId, { intent: "save", "q.text-q": "My private draft." }, quiz);
    const draft = await markingLoad(trainerCookie);
    expect(draft.status).toBe(404);
    expect(JSON.stringify(draft.data)).not.toContain("My private draft.");
    expect(
      (await callAction(markingPage.action, { path: "/x", params: { attemptId }, cookie: trainerCookie, form: { "points.text-q": "1" } }))
        .status,
    ).toBe(404);

    await send(traineeCookie, attemptId, keyedForm(questionIndex(quiz), await servedOf(attemptId)), quiz);
    const queue = await callLoader(markingQueue.loader, { path: "/marking", cookie: trainerCookie });
    expect((queue.data as { queue: { id: string }[] }).queue.map((a) => a.id)).toContain(attemptId);
    const outsiderQueue = await callLoader(markingQueue.loader, { path: "/marking", cookie: await cookieFor(outsider.id) });
    expect((outsiderQueue.data as { queue: { id: string }[] }).queue.map((a) => a.id)).not.toContain(attemptId);
    expect((await markingLoad(await cookieFor(outsider.id))).status).toBe(404);
    expect((await markingLoad(traineeCookie)).status).toBe(403);

    const page = await markingLoad(trainerCookie);
    const questions = (page.data as { questions: { id: string; points: number }[] }).questions;
    expect(questions.map((q) => [q.id, q.points])).toEqual([
      ["text-q", 2],
      ["ipaf-q", 4],
    ]);
    const mark = (form: Record<string, string | string[]>) =>
      callAction(markingPage.action, { path: "/x", params: { attemptId }, cookie: trainerCookie, form });
    for (const [form, field] of <[Record<string, string | string[]>, string][]>[
      [{ "points.text-q": "3", "points.ipaf-q": "2" }, "points.text-q"],
      [{ "points.text-q": "1.25", "points.ipaf-q": "2" }, "points.text-q"],
      [{ "points.text-q": "1", "points.ipaf-q": "0x2" }, "points.ipaf-q"],
      [{ "points.text-q": "1" }, "points.ipaf-q"],
      [{ "points.text-q": ["1", "2"], "points.ipaf-q": "2" }, "points.text-q"],
      [{ "points.text-q": "1", "points.ipaf-q": "2", "feedback.ipaf-q": "x".repeat(5001) }, "feedback.ipaf-q"],
    ]) {
      const bad = await mark(form);
      expect(bad.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(bad.data).toMatchObject({ errors: { [field]: expect.any(String) } });
    }
    // A body that cannot be read is a 400 with a message, not a 500.
    const malformed = (await Promise.resolve(
      markingPage.action({
        request: new Request("http://localhost/x", {
          method: "POST",
          headers: { Cookie: trainerCookie, "Content-Type": "multipart/form-data; boundary=nope" },
          body: "not multipart",
        }),
        params: { attemptId },
        context: testContext(),
      }),
    ).catch((thrown: unknown) => thrown)) as Response;
    expect(malformed).toBeInstanceOf(Response);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/could not be read/);
    expect(await getDb().quizMark.count({ where: { attemptId } })).toBe(0);
    const saved = await mark({
      "points.text-q": "1",
      "points.ipaf-q": "3.5",
      "feedback.ipaf-q": "Good link between the affect and the defence.",
    });
    expect(saved.status).toBe(302);
    const row = await getDb().quizAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    // 6 automatic + 1 + 3.5 = 10.5 of 12 = 87.5 %.
    expect(row).toMatchObject({ status: "COMPLETE", passed: true, score: 10.5, percent: 87.5 });
    const result = (await take(traineeCookie, attemptId, quiz)).data as {
      review: { markerFeedback: string | null; score: { points: number } }[];
    };
    expect(result.review.find((r) => r.markerFeedback)).toMatchObject({
      markerFeedback: "Good link between the affect and the defence.",
      score: { points: 3.5 },
    });
  });

  it("item analysis: exact facility and discrimination over the viewer's cohorts only; small groups withheld", async () => {
    // Three questions (1 + 1 + 2 marks), five trainees in the trainer's cohort with known answers, one trainee elsewhere.
    const questions = FIXTURE_QUESTIONS.filter((q) => ["single-q", "tf-q", "multiple-q"].includes(q.id));
    const quiz = await installQuiz({ questions, settings: { attempts: 1 } });
    const { trainer, admin, members } = await cohortSetup(5);
    type Plan = { single: boolean; tf: boolean; multiple: ("a" | "b" | "c")[] };
    // Totals: 3, 2, 2, 2, 1 of 4 → 75, 50, 50, 50, 25 %. With five attempts the top and bottom groups (27 %) are one
    // attempt each: the 75 % one and the 25 % one. The single-choice question is right only for weaker candidates.
    const plan: Plan[] = [
      { single: false, tf: true, multiple: ["a", "b"] },
      { single: false, tf: true, multiple: ["a"] },
      { single: true, tf: false, multiple: ["a"] },
      { single: true, tf: true, multiple: ["c"] },
      { single: true, tf: false, multiple: ["c"] },
    ];
    const answer = async (userId: string, p: Plan) => {
      const cookie = await cookieFor(userId);
      const attemptId = await start(cookie, quiz);
      const served = await servedOf(attemptId);
      const single = served.find((x) => x.id === "single-q")?.tokens ?? {};
      const multiple = served.find((x) => x.id === "multiple-q")?.tokens ?? {};
      const form = {
        intent: "submit",
        "q.single-q": (p.single ? single.a : single.b) as string,
        "q.tf-q": p.tf ? "false" : "true",
        "q.multiple-q": p.multiple.map((id) => multiple[id] as string),
      };
      expect((await send(cookie, attemptId, form, quiz)).status).toBe(302);
    };
    for (const [i, m] of members.entries()) await answer(m.id, plan[i] as Plan);
    // Someone outside the trainer's cohorts, answering everything wrongly.
    const stranger = await makeUser(["TRAINEE"]);
    await answer(stranger.id, { single: false, tf: false, multiple: ["c"] });

    type Analysis = {
      attempts: number;
      items: {
        id: string;
        responses: number;
        facility: number | null;
        discrimination: number | null;
        suppressed: boolean;
        flags: string[];
        choices: { id: string; count: number | null }[];
      }[];
    };
    const analyse = async (userId: string) =>
      (await callLoader(analysisPage.loader, { path: "/x", params: { quizId: quiz.id }, cookie: await cookieFor(userId) }))
        .data as Analysis;
    const mine = await analyse(trainer.id);
    expect(mine.attempts).toBe(5);
    const byId = new Map(mine.items.map((item) => [item.id, item]));
    // single: right for 3 of 5; top attempt wrong, bottom right → −1.
    expect(byId.get("single-q")).toMatchObject({
      responses: 5,
      facility: 0.6,
      discrimination: -1,
      suppressed: false,
      flags: ["negative-discrimination"],
    });
    // true/false: right for 3 of 5; top right, bottom wrong → 1.
    expect(byId.get("tf-q")).toMatchObject({ responses: 5, facility: 0.6, discrimination: 1, flags: [] });
    // multiple: fractions 1, 0.5, 0.5, 0, 0 → 0.4; top 1, bottom 0 → 1.
    expect(byId.get("multiple-q")).toMatchObject({ responses: 5, facility: 0.4, discrimination: 1, flags: [] });
    expect(byId.get("single-q")?.choices.map((c) => [c.id, c.count])).toEqual([
      ["a", 3],
      ["b", 2],
      ["c", 0],
    ]);
    // The administrator sees every cohort: six attempts, the stranger's wrong answers included.
    const all = await analyse(admin.id);
    expect(all.attempts).toBe(6);
    expect(all.items.find((item) => item.id === "single-q")).toMatchObject({ responses: 6, facility: 0.5 });

    // A trainer of a cohort with fewer than five attempts sees no figures at all.
    const small = await cohortSetup(1);
    await answer(small.trainee.id, { single: true, tf: true, multiple: ["a", "b"] });
    const few = await analyse(small.trainer.id);
    expect(few.attempts).toBe(1);
    for (const item of few.items) {
      expect(item).toMatchObject({ responses: 1, facility: null, discrimination: null, suppressed: true });
      for (const c of item.choices) expect(c.count).toBeNull();
    }
    // Trainees may not see item analysis at all.
    expect(
      (
        await callLoader(analysisPage.loader, {
          path: "/x",
          params: { quizId: quiz.id },
          cookie: await cookieFor(members[0]?.id as string),
        })
      ).status,
    ).toBe(403);
  });
});
