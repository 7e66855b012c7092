import { randomBytes, randomInt } from "node:crypto";
import type { Db, DbTx } from "#app/db.server";
import { type Answers, isAnswered } from "#app/domain/quiz/answers";
import { canStart, deadlineFor, isLate, meetsModuleRequirement, type StartDecision } from "#app/domain/quiz/rules";
import type { Quiz } from "#app/domain/quiz/schema";
import { type AttemptScore, scoreAttempt } from "#app/domain/quiz/score";
import { questionIndex, type ServedQuestion, serveQuiz } from "#app/domain/quiz/serve";
import type { AttemptStatus } from "#app/generated/prisma/enums";
import { appendAuditEvent, audited } from "#app/models/audit.server";
import { recordQuizPassed } from "#app/models/progress.server";

export type AttemptRow = {
  id: string;
  userId: string;
  quizId: string;
  quizVersion: number;
  served: ServedQuestion[];
  answers: Answers;
  status: AttemptStatus;
  startedAt: Date;
  deadline: Date | null;
  submittedAt: Date | null;
  late: boolean;
  score: number | null;
  maxScore: number | null;
  percent: number | null;
  passed: boolean | null;
};

type RawAttempt = Omit<AttemptRow, "served" | "answers"> & { served: string; answers: string };

const attemptSelect = {
  id: true,
  userId: true,
  quizId: true,
  quizVersion: true,
  served: true,
  answers: true,
  status: true,
  startedAt: true,
  deadline: true,
  submittedAt: true,
  late: true,
  score: true,
  maxScore: true,
  percent: true,
  passed: true,
} as const;

function parse(row: RawAttempt): AttemptRow {
  return { ...row, served: JSON.parse(row.served) as ServedQuestion[], answers: JSON.parse(row.answers) as Answers };
}

/** One person's attempts at one quiz, newest first. */
export async function attemptsFor(db: DbTx, userId: string, quizId: string): Promise<AttemptRow[]> {
  const rows = await db.quizAttempt.findMany({ where: { userId, quizId }, orderBy: { startedAt: "desc" }, select: attemptSelect });
  return rows.map(parse);
}

/** Quizzes (of those asked about) that a person has passed. */
export async function passedQuizzes(db: DbTx, userId: string, quizIds: readonly string[]): Promise<Set<string>> {
  if (quizIds.length === 0) return new Set();
  const rows = await db.quizAttempt.findMany({ where: { userId, quizId: { in: [...quizIds] }, passed: true }, select: { quizId: true } });
  return new Set(rows.map((r) => r.quizId));
}

/** The person's own attempt — ownership is part of the query, so another person's id finds nothing. */
export async function getOwnAttempt(db: DbTx, userId: string, attemptId: string): Promise<AttemptRow | null> {
  const row = await db.quizAttempt.findFirst({ where: { id: attemptId, userId }, select: attemptSelect });
  return row ? parse(row) : null;
}

export async function startAttempt(
  db: Db,
  { userId, quiz }: { userId: string; quiz: Quiz },
  now = new Date(),
): Promise<{ ok: true; attemptId: string } | (StartDecision & { ok: false })> {
  return db.$transaction(async (tx) => {
    const existing = await attemptsFor(tx, userId, quiz.id);
    const decision = canStart(quiz.settings, existing, now);
    if (!decision.ok) return decision;
    const seed = randomInt(0, 2 ** 31 - 1);
    // A new paper where the pools allow: questions served before are drawn only when a pool runs out of others.
    const avoid = new Set(existing.flatMap((a) => a.served.map((s) => s.id)));
    const row = await tx.quizAttempt.create({
      data: {
        userId,
        quizId: quiz.id,
        quizVersion: quiz.version,
        seed,
        served: JSON.stringify(serveQuiz(quiz, seed, { token: newToken, avoid })),
        startedAt: now,
        deadline: deadlineFor(quiz.settings, now),
      },
      select: { id: true },
    });
    return { ok: true as const, attemptId: row.id };
  });
}

/** An opaque id for one option, item or statement of one attempt (see serve.ts). */
function newToken(): string {
  return randomBytes(9).toString("base64url");
}

/** Saves answers of an attempt still in progress (owner only). False if it is no longer open. */
export async function saveAnswers(
  db: DbTx,
  { userId, attemptId, answers }: { userId: string; attemptId: string; answers: Answers },
): Promise<boolean> {
  const { count } = await db.quizAttempt.updateMany({
    where: { id: attemptId, userId, status: "IN_PROGRESS" },
    data: { answers: JSON.stringify(answers) },
  });
  return count === 1;
}

async function marksOf(db: DbTx, attemptId: string): Promise<Record<string, number>> {
  const rows = await db.quizMark.findMany({ where: { attemptId }, select: { questionId: true, points: true } });
  return Object.fromEntries(rows.map((m) => [m.questionId, m.points]));
}

function outcome(score: AttemptScore) {
  return {
    status: (score.pending ? "AWAITING_MARKING" : "COMPLETE") as AttemptStatus,
    score: score.score,
    maxScore: score.max,
    percent: score.percent,
    passed: score.passed,
  };
}

/**
 * Closes an attempt: scores it on the server, records whether it was late
 * (and applies the quiz's rule for that), and moves it to awaiting marking
 * when free-text answers need a trainer. Only an attempt still in progress can
 * be submitted: a second submission changes nothing and returns null.
 */
export async function submitAttempt(
  db: Db,
  { attempt, quiz, answers, at }: { attempt: AttemptRow; quiz: Quiz; answers: Answers; at: Date },
): Promise<AttemptScore | null> {
  const late = isLate(attempt.deadline, at);
  const index = questionIndex(quiz);
  const score = scoreAttempt(attempt.served, index, answers, {}, quiz.settings, { late });
  const allAnswered = attempt.served.every((s) => {
    const q = index.get(s.id);
    return !q || isAnswered(q, answers[s.id]);
  });
  const counts = meetsModuleRequirement(quiz.settings, { passed: score.passed, late, allAnswered });
  return audited(db, async (tx) => {
    const { count } = await tx.quizAttempt.updateMany({
      where: { id: attempt.id, userId: attempt.userId, status: "IN_PROGRESS" },
      data: { answers: JSON.stringify(answers), submittedAt: at, late, ...outcome(score) },
    });
    if (count !== 1) return null;
    if (counts && quiz.module) await recordQuizPassed(tx, { userId: attempt.userId, moduleId: quiz.module, version: 0 });
    await appendAuditEvent(tx, {
      type: "quiz.submitted",
      actorId: attempt.userId,
      subjectId: attempt.id,
      data: { quizId: quiz.id, version: attempt.quizVersion, late, percent: score.percent, pending: score.pending },
    });
    return score;
  });
}

/** An attempt left open past its time limit is closed with what was saved, as at the deadline. */
export async function closeIfExpired(db: Db, attempt: AttemptRow, quiz: Quiz, now = new Date()): Promise<boolean> {
  if (attempt.status !== "IN_PROGRESS" || !attempt.deadline || !isLate(attempt.deadline, now)) return false;
  await submitAttempt(db, { attempt, quiz, answers: attempt.answers, at: attempt.deadline });
  return true;
}

// ---- Marking -----------------------------------------------------------------

/** Trainers see (mark, analyse) the attempts of trainees in cohorts they train; administrators any. */
function inCohortsOf(marker: { id: string; isAdmin: boolean }) {
  return marker.isAdmin
    ? {}
    : {
        user: {
          memberships: {
            some: { role: "TRAINEE" as const, cohort: { members: { some: { userId: marker.id, role: "TRAINER" as const } } } },
          },
        },
      };
}

export async function markingQueue(db: DbTx, marker: { id: string; isAdmin: boolean }) {
  return db.quizAttempt.findMany({
    where: { status: "AWAITING_MARKING", ...inCohortsOf(marker) },
    orderBy: { submittedAt: "asc" },
    select: { id: true, quizId: true, quizVersion: true, submittedAt: true, user: { select: { name: true } } },
  });
}

export async function getAttemptForMarking(db: DbTx, marker: { id: string; isAdmin: boolean }, attemptId: string) {
  const row = await db.quizAttempt.findFirst({
    // An attempt still in progress is the trainee's draft: nobody else reads it before it is submitted.
    where: { id: attemptId, status: { not: "IN_PROGRESS" }, ...inCohortsOf(marker) },
    select: { ...attemptSelect, user: { select: { name: true } }, marks: { select: { questionId: true, points: true, feedback: true } } },
  });
  if (!row) return null;
  const { user, marks, ...rest } = row;
  return { attempt: parse(rest), traineeName: user.name, marks };
}

/** Marks written by a trainer for the attempt's manually marked questions; the attempt completes when none is left. */
export async function saveMarks(
  db: Db,
  {
    attempt,
    quiz,
    marks,
    markerId,
  }: { attempt: AttemptRow; quiz: Quiz; marks: Record<string, { points: number; feedback: string }>; markerId: string },
): Promise<AttemptScore | null> {
  return audited(db, async (tx) => {
    const current = await tx.quizAttempt.findUnique({ where: { id: attempt.id }, select: { status: true, late: true } });
    if (current?.status !== "AWAITING_MARKING") return null;
    for (const [questionId, { points, feedback }] of Object.entries(marks)) {
      await tx.quizMark.upsert({
        where: { attemptId_questionId: { attemptId: attempt.id, questionId } },
        create: { attemptId: attempt.id, questionId, points, feedback, markerId },
        update: { points, feedback, markerId, markedAt: new Date() },
      });
    }
    const score = scoreAttempt(attempt.served, questionIndex(quiz), attempt.answers, await marksOf(tx, attempt.id), quiz.settings, {
      late: current.late,
    });
    await tx.quizAttempt.update({ where: { id: attempt.id }, data: outcome(score) });
    // A formative quiz counted (or not) when it was submitted; marking decides only a summative one.
    if (quiz.settings.purpose === "summative" && score.passed && quiz.module)
      await recordQuizPassed(tx, { userId: attempt.userId, moduleId: quiz.module, version: 0 });
    await appendAuditEvent(tx, {
      type: "quiz.marked",
      actorId: markerId,
      subjectId: attempt.id,
      data: { quizId: quiz.id, questions: Object.keys(marks), complete: score.pending === 0 },
    });
    return score;
  });
}

export async function marksFor(db: DbTx, attemptId: string) {
  const rows = await db.quizMark.findMany({ where: { attemptId }, select: { questionId: true, points: true, feedback: true } });
  return new Map(rows.map((r) => [r.questionId, r]));
}

/** Completed attempts of one quiz version by trainees of the viewer's cohorts (all for administrators), for item analysis. */
export async function completedAttempts(db: DbTx, viewer: { id: string; isAdmin: boolean }, quizId: string, version: number) {
  const rows = await db.quizAttempt.findMany({
    where: { quizId, quizVersion: version, status: "COMPLETE", ...inCohortsOf(viewer) },
    select: { percent: true, served: true, answers: true, marks: { select: { questionId: true, points: true } } },
  });
  return rows.map((r) => ({
    percent: r.percent ?? 0,
    served: (JSON.parse(r.served) as ServedQuestion[]).map((s) => s.id),
    answers: JSON.parse(r.answers) as Answers,
    manual: Object.fromEntries(r.marks.map((m) => [m.questionId, m.points])),
  }));
}
