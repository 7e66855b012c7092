// A trainee who meets every step of the fixture pathway (test/fixtures/content/pathways), built through the app's
// own models and routes: the fixture modules completed, the fixture quiz passed (marked by the cohort trainer), a
// role-play and four case sessions with final ratings, two concurrent cases, two hours of confirmed supervision and
// a case study marked pass. Tests (ours, and certification's) take it from here and break one piece at a time.

import { storeCaseStudyDocument } from "#app/case-studies/documents.server";
import { getDb } from "#app/db.server";
import { attestConsent, createCase, logSupervision, recordSession, reviewSupervision } from "#app/models/case.server";
import { markCaseStudy, submitCaseStudy } from "#app/models/case-study.server";
import { completeModule } from "#app/models/progress.server";
import * as markingPage from "#app/routes/marking.$attemptId";
import { callAction, cookieFor, makeUser } from "./app";
import { finalRating, recordingRow } from "./final-ratings";
import { FIXTURE } from "./fixture-course";
import { makeCohort, submitAttempt } from "./world";

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (n: number) => {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(0, 0, 0, 0);
  return d;
};

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, "utf8");
}

/** A case of `traineeId`, started `startedDaysAgo`, with consent and the sessions named; returns its id and session ids. */
async function caseWithSessions(traineeId: string, supervisorId: string, startedDaysAgo: number, sessions: number[]) {
  const db = getDb();
  const clientCode = `P-${Math.floor(Math.random() * 90000 + 10000)}`;
  const created = await createCase(db, { traineeId, supervisorId, clientCode, startedOn: daysAgo(startedDaysAgo) });
  if (!created.ok) throw new Error(`no case: ${created.error}`);
  await attestConsent(db, {
    caseId: created.id,
    attestedById: traineeId,
    consentOn: daysAgo(startedDaysAgo),
    method: "WRITTEN_FORM",
    forSupervision: true,
    forAssessment: true,
  });
  const consent = await db.consentAttestation.findFirstOrThrow({ where: { caseId: created.id } });
  const sessionIds: Record<number, string> = {};
  for (const number of sessions) {
    await recordSession(db, { caseId: created.id, number, heldOn: daysAgo(startedDaysAgo - number), phq9: 12, gad7: 8 });
    sessionIds[number] = (await db.caseSession.findFirstOrThrow({ where: { caseId: created.id, number } })).id;
  }
  return { id: created.id, clientCode, consentId: consent.id, sessionIds };
}

export async function completeTrainee() {
  const db = getDb();
  const trainee = await makeUser(["TRAINEE"]);
  const trainer = await makeUser(["TRAINER"]);
  const cohortId = await makeCohort({ trainers: [trainer.id], trainees: [trainee.id] });
  const cookie = await cookieFor(trainee.id);

  for (const m of [FIXTURE.first, FIXTURE.second, FIXTURE.third])
    await completeModule(db, { userId: trainee.id, moduleId: m.id, version: 1 });

  const attemptId = await submitAttempt(cookie, FIXTURE.first.quiz);
  const marked = await callAction(markingPage.action, {
    path: `/marking/${attemptId}`,
    params: { attemptId },
    cookie: await cookieFor(trainer.id),
    form: { "points.short-one": "2", "feedback.short-one": "Well put." },
  });
  if (marked.status !== 302) throw new Error(`could not mark the quiz: ${marked.status}`);

  await attestConsent(db, {
    caseId: null,
    attestedById: trainee.id,
    consentOn: daysAgo(90),
    method: "WRITTEN_FORM",
    forSupervision: false,
    forAssessment: true,
  });
  const actorConsent = await db.consentAttestation.findFirstOrThrow({ where: { attestedById: trainee.id, caseId: null } });
  const rolePlay = await recordingRow({ ownerId: trainee.id, caseSessionId: null, consentId: actorConsent.id });
  const rolePlayRating = await finalRating(rolePlay, { phase: null, finalizedAt: daysAgo(80) });

  const caseA = await caseWithSessions(trainee.id, trainer.id, 60, [4, 8]);
  const caseB = await caseWithSessions(trainee.id, trainer.id, 50, [4, 15]);
  const ratings: Record<string, string> = { rolePlay: rolePlayRating };
  for (const [key, c, number, phase] of [
    ["aInitial", caseA, 4, "initial"],
    ["aMiddle", caseA, 8, "middle"],
    ["bInitial", caseB, 4, "initial"],
    ["bEnding", caseB, 15, "ending"],
  ] as const) {
    const recordingId = await recordingRow({ ownerId: trainee.id, caseSessionId: c.sessionIds[number] as string, consentId: c.consentId });
    ratings[key] = await finalRating(recordingId, { phase, finalizedAt: daysAgo(10) });
  }

  for (const c of [caseA, caseB]) {
    await logSupervision(db, { caseId: c.id, loggedById: trainee.id, heldOn: daysAgo(40), minutes: 60, notes: "" });
    const entry = await db.supervisionEntry.findFirstOrThrow({ where: { caseId: c.id } });
    await reviewSupervision(db, { caseId: c.id, entryId: entry.id, reviewerId: trainer.id, decision: "CONFIRMED", reviewNote: "" });
  }

  const document = await storeCaseStudyDocument(bytes("A fixture case study: the IPAF, the middle phase and the ending.\n"));
  const submitted = await submitCaseStudy(db, { traineeId: trainee.id, title: "Fixture case study", caseId: caseA.id, document });
  if (!submitted.ok) throw new Error(`no case study: ${submitted.error}`);
  if (!(await markCaseStudy(db, { caseStudyId: submitted.id, markerId: trainer.id, outcome: "PASS", feedback: "A clear account." }))) {
    throw new Error("could not mark the case study");
  }
  return { trainee, trainer, cohortId, cookie, attemptId, caseA, caseB, ratings, caseStudyId: submitted.id };
}
