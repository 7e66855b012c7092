// Evidence rows for a person, written directly (test setup, not behaviour under test).
import { randomBytes } from "node:crypto";
import { getDb } from "#app/db.server";

export async function giveEvidence(userId: string, markerId: string) {
  const db = getDb();
  const tag = randomBytes(4).toString("hex");
  const cohort = await db.cohort.create({ data: { name: `Evidence cohort ${tag}`, startsOn: new Date("2026-01-01") } });
  const membership = await db.cohortMember.create({ data: { cohortId: cohort.id, userId, role: "TRAINEE", supervisorId: markerId } });
  const attempt = await db.quizAttempt.create({
    data: { userId, quizId: `quiz-${tag}`, quizVersion: 1, seed: 7, served: "[]", status: "COMPLETE", score: 3, maxScore: 4 },
  });
  const mark = await db.quizMark.create({ data: { attemptId: attempt.id, questionId: "q1", points: 1.5, feedback: "Good", markerId } });
  const progress = await db.moduleProgress.create({ data: { userId, moduleId: `module-${tag}`, lastVersionSeen: 2, completedVersion: 2 } });
  return { cohort, membership, attempt, mark, progress };
}

/** The same rows read back, to compare with what giveEvidence returned. */
export async function readEvidence(ids: Awaited<ReturnType<typeof giveEvidence>>) {
  const db = getDb();
  return {
    cohort: await db.cohort.findUnique({ where: { id: ids.cohort.id } }),
    membership: await db.cohortMember.findUnique({ where: { id: ids.membership.id } }),
    attempt: await db.quizAttempt.findUnique({ where: { id: ids.attempt.id } }),
    mark: await db.quizMark.findUnique({ where: { id: ids.mark.id } }),
    progress: await db.moduleProgress.findUnique({ where: { id: ids.progress.id } }),
  };
}

/** A person created without any audit event, so only foreign keys can stand in the way of deleting them. */
export async function unauditedUser(label: string) {
  const tag = randomBytes(4).toString("hex");
  return getDb().user.create({ data: { email: `${label}-${tag}@example.test`, name: `${label} ${tag}`, status: "ACTIVE" } });
}
