// Demo data for certification (issue #10), called by scripts/seed.ts: practitioners who have met every step of the
// DIT practitioner pathway (content/pathways), with the evidence made the way the app makes it — modules completed,
// quizzes answered and marked, cases with sessions, consent, encrypted recordings and confirmed supervision, a case
// study marked pass — except the final ratings, written as the rows the rating workflow leaves (cheaper than
// running assignment and rating for each). Certificates are issued through the model (status-list indexes, events,
// audit), with codes drawn from fixed bytes so the demo codes are the same on every seed (README, "First run").
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { storeCaseStudyDocument } from "#app/case-studies/documents.server";
import { getCurriculum, getQuiz } from "#app/content.server/curriculum.server";
import { currentFramework } from "#app/content.server/frameworks.server";
import { currentPathway } from "#app/content.server/pathways.server";
import type { Db } from "#app/db.server";
import { phaseOf } from "#app/domain/phases";
import type { Answers } from "#app/domain/quiz/answers";
import { allQuestions, type Question } from "#app/domain/quiz/schema";
import { applicableItems, ratingSummary } from "#app/domain/rating-rules";
import { attestConsent, createCase, logSupervision, recordSession, reviewSupervision, setCaseStatus } from "#app/models/case.server";
import { markCaseStudy, submitCaseStudy } from "#app/models/case-study.server";
import { changeCertificateStatus, issueCertificate, setOnRegister } from "#app/models/certificate.server";
import { addCohortMember, createCohort } from "#app/models/cohort.server";
import { logCpd } from "#app/models/cpd.server";
import { completeModule } from "#app/models/progress.server";
import { getOwnAttempt, saveMarks, startAttempt, submitAttempt } from "#app/models/quiz.server";
import { updateUserDetails } from "#app/models/user.server";
import { importRecording } from "#app/recordings/import.server";

const DAY = 24 * 60 * 60 * 1000;

function daysAgo(n: number): Date {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(9, 0, 0, 0);
  return d;
}

/** Fixed "random" bytes for a demo certificate code: the same code on every seed. */
function fixedBytes(label: string) {
  return (size: number) => {
    const out = Buffer.alloc(size);
    for (let i = 0, block = 0; i < size; block++) {
      const digest = createHash("sha256").update(`${label}:${block}`).digest();
      i += digest.copy(out, i);
    }
    return out;
  };
}

/** Answers as the answer key gives them (content ids); free text gets a short, plausible answer. */
function keyedAnswers(questions: readonly Question[], served: readonly { id: string }[]): Answers {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const answers: Answers = {};
  for (const s of served) {
    const q = byId.get(s.id);
    if (!q) continue;
    switch (q.type) {
      case "single":
        answers[q.id] = q.options.find((o) => o.correct)?.id as string;
        break;
      case "multiple":
        answers[q.id] = q.options.filter((o) => o.correct).map((o) => o.id);
        break;
      case "true-false":
        answers[q.id] = String(q.answer);
        break;
      case "ordering":
        answers[q.id] = Object.fromEntries(q.items.map((item, i) => [item.id, String(i + 1)]));
        break;
      case "matching":
        answers[q.id] = Object.fromEntries(q.pairs.map((p) => [p.id, p.match]));
        break;
      case "short-text":
        answers[q.id] = "The same relational pattern shows in the room: she defers, then withdraws when she feels unheard.";
        break;
      case "ipaf":
        answers[q.id] = {
          self: "Someone whose needs are a burden to others.",
          other: "Busy, critical people who will turn away if asked for anything.",
          affect: "Shame, and anger quickly turned against herself.",
          defence: "By asking for nothing she avoids the rejection she expects.",
        };
        break;
    }
  }
  return answers;
}

/** Every quiz of the pathway, answered as the key says at `at`, and any free text marked in full by `markerId`. */
async function passQuizzes(db: Db, userId: string, markerId: string, quizIds: readonly string[], at: Date) {
  for (const quizId of quizIds) {
    const quiz = await getQuiz(quizId);
    if (!quiz) throw new Error(`seed: no quiz ${quizId}`);
    const started = await startAttempt(db, { userId, quiz }, at);
    if (!started.ok) throw new Error(`seed: could not start ${quizId}`);
    const attempt = await getOwnAttempt(db, userId, started.attemptId);
    if (!attempt) throw new Error(`seed: no attempt of ${quizId}`);
    const questions = allQuestions(quiz);
    await submitAttempt(db, {
      attempt,
      quiz,
      answers: keyedAnswers(questions, attempt.served),
      at: new Date(at.getTime() + 12 * 60 * 1000),
    });
    const submitted = await getOwnAttempt(db, userId, attempt.id);
    if (submitted?.status === "AWAITING_MARKING") {
      const manual = questions.filter((q) => (q.type === "short-text" || q.type === "ipaf") && attempt.served.some((s) => s.id === q.id));
      const marks = Object.fromEntries(manual.map((q) => [q.id, { points: q.points, feedback: "A clear, well-linked answer." }]));
      await saveMarks(db, { attempt: submitted, quiz, marks, markerId });
    }
  }
}

/**
 * The final rating of a recording, as the rating workflow leaves it once a single rater's rating is final: every
 * item of the framework that applies to the phase scored (a solid 4, with one 3), competent by the framework's rule.
 */
async function finalRating(db: Db, recordingId: string, phase: "initial" | "middle" | "ending" | null, finalizedAt: Date) {
  const framework = currentFramework();
  const items = applicableItems(framework, phase);
  const scores: Record<string, number> = Object.fromEntries(items.map((item, i) => [item.id, i === 1 ? 3 : 4]));
  const summary = ratingSummary(framework, phase, scores);
  if (!summary.competent) throw new Error("seed: the demo rating should be competent");
  const rating = await db.rating.create({
    data: {
      recordingId,
      kind: "DERIVED",
      status: "SUBMITTED",
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      phase,
      mean: summary.mean,
      competent: true,
      submittedAt: finalizedAt,
    },
    select: { id: true },
  });
  for (const [itemId, score] of Object.entries(scores)) {
    await db.itemScore.create({ data: { ratingId: rating.id, recordingId, itemId, score } });
  }
  await db.recordingAssessment.create({
    data: {
      recordingId,
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      phase,
      secondRaterRequired: false,
      state: "FINAL",
      finalRatingId: rating.id,
      decidedBy: "SINGLE",
      finalizedAt,
      releasedAt: finalizedAt,
    },
  });
}

const DEMO_MEDIA = () => readFileSync(path.join(import.meta.dirname, "seed-media", "demo-session.ogg"));

/** A 16-session case started `startedDaysAgo`, weekly, with consent, supervision (8 hours, confirmed) and two rated recordings. */
async function supervisedCase(
  db: Db,
  input: { traineeId: string; supervisorId: string; clientCode: string; startedDaysAgo: number; rated: readonly number[] },
) {
  const { traineeId, supervisorId } = input;
  const created = await createCase(db, { traineeId, supervisorId, clientCode: input.clientCode, startedOn: daysAgo(input.startedDaysAgo) });
  if (!created.ok) throw new Error(`seed: could not create case ${input.clientCode} (${created.error})`);
  const caseId = created.id;
  await attestConsent(db, {
    caseId,
    attestedById: traineeId,
    consentOn: daysAgo(input.startedDaysAgo),
    method: "WRITTEN_FORM",
    forSupervision: true,
    forAssessment: true,
  });
  for (let n = 1; n <= 16; n++) {
    const phq9 = Math.max(4, 18 - n);
    await recordSession(db, { caseId, number: n, heldOn: daysAgo(input.startedDaysAgo - 7 * (n - 1)), phq9, gad7: Math.max(3, 13 - n) });
  }
  for (const n of input.rated) {
    const session = await db.caseSession.findFirstOrThrow({ where: { caseId, number: n }, select: { id: true, heldOn: true } });
    const recording = await importRecording(db, {
      ownerId: traineeId,
      target: { kind: "CASE_SESSION", caseSessionId: session.id },
      bytes: DEMO_MEDIA(),
    });
    if (!recording.ok) throw new Error(`seed: could not store a recording (${recording.error})`);
    await finalRating(db, recording.id, phaseOf(n).id, new Date(session.heldOn.getTime() + 21 * DAY));
  }
  for (let week = 0; week < 8; week++) {
    await logSupervision(db, {
      caseId,
      loggedById: traineeId,
      heldOn: daysAgo(input.startedDaysAgo - 3 - 14 * week),
      minutes: 60,
      notes: "",
    });
  }
  for (const entry of await db.supervisionEntry.findMany({ where: { caseId }, select: { id: true } })) {
    await reviewSupervision(db, { caseId, entryId: entry.id, reviewerId: supervisorId, decision: "CONFIRMED", reviewNote: "" });
  }
  await setCaseStatus(db, { caseId, by: traineeId, from: "OPEN", to: "ENDED" });
  return caseId;
}

type Person = { id: string; name: string; registrationBody: string; registrationNumber: string; clientPrefix: string };

/** Every step of the current pathway met by `person`, supervised by `trainerId` in a cohort that ended months ago. */
async function meetEveryStep(db: Db, person: Person, ids: { trainer: string; admin: string; cohortId: string }) {
  const pathway = currentPathway();
  await addCohortMember(db, { cohortId: ids.cohortId, userId: person.id, role: "TRAINEE", supervisorId: ids.trainer, by: ids.admin });
  await updateUserDetails(db, {
    userId: person.id,
    by: ids.admin,
    name: person.name,
    registrationBody: person.registrationBody,
    registrationNumber: person.registrationNumber,
  });
  const curriculum = await getCurriculum();
  const version = new Map(curriculum.modules.map((m) => [m.frontmatter.id, m.frontmatter.version]));
  for (const step of pathway.steps) {
    if (step.type !== "modules") continue;
    for (const [i, moduleId] of step.modules.entries()) {
      await completeModule(db, { userId: person.id, moduleId, version: version.get(moduleId) ?? 1 }, daysAgo(480 - 2 * i));
    }
  }
  const quizIds = pathway.steps.flatMap((s) => (s.type === "quizzes" ? s.quizzes : []));
  await passQuizzes(db, person.id, ids.trainer, quizIds, daysAgo(455));

  // The role-play with an actor, consented and rated competent.
  await attestConsent(db, {
    caseId: null,
    attestedById: person.id,
    consentOn: daysAgo(450),
    method: "WRITTEN_FORM",
    forSupervision: false,
    forAssessment: true,
  });
  const rolePlay = await importRecording(db, { ownerId: person.id, target: { kind: "ROLE_PLAY" }, bytes: DEMO_MEDIA() });
  if (!rolePlay.ok) throw new Error(`seed: could not store the role-play (${rolePlay.error})`);
  await finalRating(db, rolePlay.id, null, daysAgo(440));

  // Two concurrent cases: the IPAF session of each, a middle-phase session of one and an ending-phase session of the other.
  const first = await supervisedCase(db, {
    traineeId: person.id,
    supervisorId: ids.trainer,
    clientCode: `${person.clientPrefix}-0101`,
    startedDaysAgo: 430,
    rated: [3, 9],
  });
  await supervisedCase(db, {
    traineeId: person.id,
    supervisorId: ids.trainer,
    clientCode: `${person.clientPrefix}-0202`,
    startedDaysAgo: 415,
    rated: [3, 15],
  });

  const text = [
    `Case study: case ${person.clientPrefix}-0101 (demo text, not a real client)`,
    "",
    "Assessment and the IPAF; the interpersonal focus worked with through the middle phase; the ending and the goodbye letter.",
    "",
  ].join("\n");
  const document = await storeCaseStudyDocument(
    (async function* () {
      yield Buffer.from(text, "utf8");
    })(),
  );
  const submitted = await submitCaseStudy(db, {
    traineeId: person.id,
    title: `Case ${person.clientPrefix}-0101: a complete DIT`,
    caseId: first,
    document,
  });
  if (!submitted.ok) throw new Error(`seed: could not store a case study (${submitted.error})`);
  await markCaseStudy(db, {
    caseStudyId: submitted.id,
    markerId: ids.trainer,
    outcome: "PASS",
    feedback: "A full, well-formulated account of the therapy.",
  });
}

export const CERTIFICATION_ACCOUNTS = [
  { email: "supervisor@attune.test", name: "Sasha Supervisor", roles: ["TRAINER" as const] },
  { email: "practitioner@attune.test", name: "Priya Practitioner", roles: ["TRAINEE" as const] },
  { email: "revoked@attune.test", name: "Rhys Revoked", roles: ["TRAINEE" as const] },
  { email: "candidate@attune.test", name: "Casey Candidate", roles: ["TRAINEE" as const] },
];

/**
 * Three people who met every step of an earlier cohort trained and supervised by Sasha: Priya (certified, listed on
 * the public register), Rhys (certified, then revoked) and Casey (in the certification queue, for an administrator
 * to certify). Returns the demo codes.
 */
export async function seedCertification(db: Db, ids: Record<string, string>): Promise<{ active: string; revoked: string }> {
  const admin = ids["admin@attune.test"] as string;
  const trainer = ids["supervisor@attune.test"] as string;
  const cohort = await createCohort(db, {
    name: "DIT practitioner course — 2025",
    startsOn: daysAgo(500),
    endsOn: daysAgo(140),
    by: admin,
  });
  if (!cohort.ok) throw new Error("seed: could not create the 2025 cohort");
  await addCohortMember(db, { cohortId: cohort.id, userId: trainer, role: "TRAINER", supervisorId: null, by: admin });
  const people: Person[] = [
    {
      id: ids["practitioner@attune.test"] as string,
      name: "Priya Practitioner",
      registrationBody: "BACP",
      registrationNumber: "MBACP 384512",
      clientPrefix: "PP",
    },
    {
      id: ids["revoked@attune.test"] as string,
      name: "Rhys Revoked",
      registrationBody: "UKCP",
      registrationNumber: "UKCP 2019-0457",
      clientPrefix: "RR",
    },
    {
      id: ids["candidate@attune.test"] as string,
      name: "Casey Candidate",
      registrationBody: "HCPC",
      registrationNumber: "PYL031337",
      clientPrefix: "CC",
    },
  ];
  for (const person of people) await meetEveryStep(db, person, { trainer, admin, cohortId: cohort.id });

  const [priya, rhys] = people as [Person, Person];
  const active = await issueCertificate(db, { traineeId: priya.id, by: admin, random: fixedBytes("attune-demo-active") });
  if (!active.ok) throw new Error(`seed: could not certify ${priya.name} (${active.error})`);
  await setOnRegister(db, { code: active.code, holderId: priya.id, on: true });
  await logCpd(db, { userId: priya.id, date: daysAgo(0), hours: 1.5, kind: "CLINICAL", description: "DIT peer supervision group" });

  const revoked = await issueCertificate(db, { traineeId: rhys.id, by: admin, random: fixedBytes("attune-demo-revoked") });
  if (!revoked.ok) throw new Error(`seed: could not certify ${rhys.name} (${revoked.error})`);
  const done = await changeCertificateStatus(db, {
    code: revoked.code,
    change: "revoke",
    reason: "Removed from the home register by the registering body (demo data).",
    by: admin,
  });
  if (!done.ok) throw new Error(`seed: could not revoke ${revoked.code} (${done.error})`);
  return { active: active.code, revoked: revoked.code };
}
