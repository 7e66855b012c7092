import { getCurriculum } from "#app/content.server/curriculum.server";
import { currentPathway } from "#app/content.server/pathways.server";
import { type DbTx, getDb } from "#app/db.server";
import { evidenceHash } from "#app/domain/evidence-hash";
import { evaluatePathway, type Pathway, type PathwayEvaluation, type PathwayEvidence } from "#app/domain/pathway";
import type { Relation } from "#app/domain/permissions";
import type { Role } from "#app/domain/roles";
import { isTrainerOfTrainee } from "#app/models/case-study.server";
import { finalRatingsForTrainee } from "#app/models/rating-evidence.server";

/**
 * The evidence a pathway is evaluated over, gathered from the rows people made
 * (module progress, quiz attempts and their marks, cases, supervision entries,
 * case studies and their marks, final ratings), each with a SHA-256 of its
 * evidential fields (app/domain/evidence-hash.ts) so a certificate can snapshot
 * exactly what it rests on. The evaluation itself is pure (app/domain/pathway.ts).
 *
 * This model also reads content (the pathway and the course's titles, from
 * app/content.server/): the only model that does, because what counts as
 * evidence is defined there.
 */

export async function gatherPathwayEvidence(traineeId: string, db: DbTx = getDb()): Promise<PathwayEvidence> {
  const [curriculum, progress, attempts, cases, supervision, studies, ratings] = await Promise.all([
    getCurriculum(),
    db.moduleProgress.findMany({
      where: { userId: traineeId },
      select: { id: true, userId: true, moduleId: true, completedAt: true, completedVersion: true },
    }),
    db.quizAttempt.findMany({
      where: { userId: traineeId, status: { not: "IN_PROGRESS" } },
      orderBy: { submittedAt: "asc" },
      select: {
        id: true,
        userId: true,
        quizId: true,
        quizVersion: true,
        status: true,
        answers: true,
        submittedAt: true,
        late: true,
        score: true,
        maxScore: true,
        percent: true,
        passed: true,
        marks: { orderBy: { questionId: "asc" }, select: { questionId: true, points: true, markerId: true, markedAt: true } },
      },
    }),
    db.trainingCase.findMany({
      where: { traineeId },
      orderBy: { startedOn: "asc" },
      select: {
        id: true,
        traineeId: true,
        supervisorId: true,
        clientCode: true,
        planId: true,
        status: true,
        startedOn: true,
        closedOn: true,
      },
    }),
    db.supervisionEntry.findMany({
      where: { case: { traineeId } },
      orderBy: [{ heldOn: "asc" }, { createdAt: "asc" }],
      select: { id: true, caseId: true, heldOn: true, minutes: true, status: true, loggedById: true, reviewedById: true, reviewedAt: true },
    }),
    db.caseStudy.findMany({
      where: { traineeId },
      orderBy: { submittedAt: "asc" },
      select: {
        id: true,
        traineeId: true,
        caseId: true,
        title: true,
        status: true,
        submittedAt: true,
        sha256: true,
        sizeBytes: true,
        mimeType: true,
        mark: {
          select: {
            id: true,
            markerId: true,
            outcome: true,
            feedback: true,
            markedAt: true,
            marker: { select: { roles: { select: { role: true } } } },
          },
        },
      },
    }),
    finalRatingsForTrainee(traineeId, db),
  ]);
  return {
    traineeId,
    titles: {
      modules: Object.fromEntries(curriculum.modules.map((m) => [m.frontmatter.id, m.frontmatter.title])),
      quizzes: Object.fromEntries(curriculum.quizzes.map((q) => [q.id, q.title])),
    },
    modules: progress.map((p) => ({
      progressId: p.id,
      moduleId: p.moduleId,
      completedAt: p.completedAt,
      completedVersion: p.completedVersion,
      hash: evidenceHash("module-progress", {
        id: p.id,
        userId: p.userId,
        moduleId: p.moduleId,
        completedAt: p.completedAt,
        completedVersion: p.completedVersion,
      }),
    })),
    quizAttempts: attempts.map((a) => ({
      id: a.id,
      quizId: a.quizId,
      quizVersion: a.quizVersion,
      status: a.status,
      submittedAt: a.submittedAt,
      percent: a.percent,
      passed: a.passed,
      hash: evidenceHash("quiz-attempt", {
        id: a.id,
        userId: a.userId,
        quizId: a.quizId,
        quizVersion: a.quizVersion,
        status: a.status,
        answers: a.answers,
        submittedAt: a.submittedAt,
        late: a.late,
        score: a.score,
        maxScore: a.maxScore,
        percent: a.percent,
        passed: a.passed,
        marks: a.marks.map((m) => ({ questionId: m.questionId, points: m.points, markerId: m.markerId, markedAt: m.markedAt })),
      }),
    })),
    ratings,
    cases: cases.map((c) => ({
      id: c.id,
      clientCode: c.clientCode,
      supervisorId: c.supervisorId,
      status: c.status,
      startedOn: c.startedOn,
      closedOn: c.closedOn,
      hash: evidenceHash("training-case", {
        id: c.id,
        traineeId: c.traineeId,
        supervisorId: c.supervisorId,
        clientCode: c.clientCode,
        planId: c.planId,
        status: c.status,
        startedOn: c.startedOn,
        closedOn: c.closedOn,
      }),
    })),
    supervision: supervision.map((e) => ({
      id: e.id,
      caseId: e.caseId,
      heldOn: e.heldOn,
      minutes: e.minutes,
      status: e.status,
      hash: evidenceHash("supervision-entry", {
        id: e.id,
        caseId: e.caseId,
        heldOn: e.heldOn,
        minutes: e.minutes,
        status: e.status,
        loggedById: e.loggedById,
        reviewedById: e.reviewedById,
        reviewedAt: e.reviewedAt,
      }),
    })),
    caseStudies: studies.map((s) => ({
      id: s.id,
      title: s.title,
      caseId: s.caseId,
      status: s.status,
      submittedAt: s.submittedAt,
      sha256: s.sha256,
      mark: s.mark
        ? {
            id: s.mark.id,
            markerId: s.mark.markerId,
            markerRoles: s.mark.marker.roles.map((r) => r.role as Role),
            outcome: s.mark.outcome,
            markedAt: s.mark.markedAt,
            hash: evidenceHash("case-study-mark", {
              id: s.mark.id,
              caseStudyId: s.id,
              traineeId: s.traineeId,
              title: s.title,
              caseId: s.caseId,
              documentSha256: s.sha256,
              documentBytes: s.sizeBytes,
              documentType: s.mimeType,
              submittedAt: s.submittedAt,
              markerId: s.mark.markerId,
              outcome: s.mark.outcome,
              feedback: s.mark.feedback,
              markedAt: s.mark.markedAt,
            }),
          }
        : null,
    })),
  };
}

/** A trainee's evidence evaluated against the current pathway (or the one given) at `now`. */
export async function evaluateTrainee(
  traineeId: string,
  now: Date = new Date(),
  options: { pathway?: Pathway; db?: DbTx } = {},
): Promise<{ pathway: Pathway; evidence: PathwayEvidence; evaluation: PathwayEvaluation }> {
  const pathway = options.pathway ?? currentPathway();
  const evidence = await gatherPathwayEvidence(traineeId, options.db);
  return { pathway, evidence, evaluation: evaluatePathway(pathway, evidence, now) };
}

/**
 * Every active trainee who meets every step of the current pathway now (whether they already hold a certificate
 * is the certification work's filter). When the pathway asks for a case study, only trainees with a passed one
 * can be complete, so only they are evaluated.
 */
export async function traineesReadyForCertification(
  now: Date = new Date(),
  options: { pathway?: Pathway; db?: DbTx } = {},
): Promise<{ userId: string; name: string; evaluation: PathwayEvaluation }[]> {
  const db = options.db ?? getDb();
  const pathway = options.pathway ?? currentPathway();
  const needsCaseStudy = pathway.steps.some((s) => s.type === "case-study");
  const candidates = await db.user.findMany({
    where: {
      status: "ACTIVE",
      roles: { some: { role: "TRAINEE" } },
      ...(needsCaseStudy ? { caseStudies: { some: { status: "PASSED" } } } : {}),
    },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const ready: { userId: string; name: string; evaluation: PathwayEvaluation }[] = [];
  for (const c of candidates) {
    const { evaluation } = await evaluateTrainee(c.id, now, { pathway, db });
    if (evaluation.complete) ready.push({ userId: c.id, name: c.name, evaluation });
  }
  return ready;
}

/** Evaluations of every trainee of a cohort (for the cohort's checklist grid), in name order. */
export async function evaluateCohort(
  cohortId: string,
  now: Date = new Date(),
  options: { pathway?: Pathway; db?: DbTx } = {},
): Promise<{ pathway: Pathway; rows: { userId: string; name: string; evaluation: PathwayEvaluation }[] }> {
  const db = options.db ?? getDb();
  const pathway = options.pathway ?? currentPathway();
  const members = await db.cohortMember.findMany({
    where: { cohortId, role: "TRAINEE" },
    orderBy: { user: { name: "asc" } },
    select: { user: { select: { id: true, name: true } } },
  });
  const rows: { userId: string; name: string; evaluation: PathwayEvaluation }[] = [];
  for (const m of members) {
    const { evaluation } = await evaluateTrainee(m.user.id, now, { pathway, db });
    rows.push({ userId: m.user.id, name: m.user.name, evaluation });
  }
  return { pathway, rows };
}

/** How a viewer stands towards a trainee's checklist: trains one of their cohorts, and/or supervises one of their cases. */
export async function relationsToTrainee(db: DbTx, viewerId: string, traineeId: string): Promise<Relation[]> {
  const [trainer, supervisor] = await Promise.all([
    isTrainerOfTrainee(db, viewerId, traineeId),
    db.trainingCase.findFirst({ where: { traineeId, supervisorId: viewerId }, select: { id: true } }),
  ]);
  const relations: Relation[] = [];
  if (trainer) relations.push("cohort-trainer");
  if (supervisor) relations.push("case-supervisor");
  return relations;
}

/** A trainee's name, if the person exists and is a trainee. */
export async function traineeName(db: DbTx, userId: string): Promise<string | null> {
  const row = await db.user.findFirst({ where: { id: userId, roles: { some: { role: "TRAINEE" } } }, select: { name: true } });
  return row?.name ?? null;
}
