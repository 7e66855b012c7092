import type { DbTx } from "#app/db.server";
import type { Relation } from "#app/domain/permissions";

/**
 * A trainee's competence profile (docs/reliability.md, "Competence profile"): their final ratings over time, each
 * with its item scores, read in one query. Only FINAL assessments that have been released to the trainee count
 * (the trainee never sees a final rating before its release, and the profile shows the same ratings to everyone).
 */

export type ProfileRating = {
  ratingId: string;
  recordingId: string;
  frameworkId: string;
  frameworkVersion: number;
  phase: string | null;
  session: number | null;
  clientCode: string | null;
  finalizedAt: Date;
  competent: boolean | null;
  mean: number | null;
  scores: Record<string, number | null>;
};

export async function competenceProfile(db: DbTx, traineeId: string): Promise<ProfileRating[]> {
  const rows = await db.recordingAssessment.findMany({
    where: { state: "FINAL", releasedAt: { not: null }, finalRatingId: { not: null }, recording: { ownerId: traineeId } },
    orderBy: { finalizedAt: "asc" },
    select: {
      recordingId: true,
      frameworkId: true,
      frameworkVersion: true,
      phase: true,
      finalizedAt: true,
      recording: { select: { caseSession: { select: { number: true, case: { select: { clientCode: true } } } } } },
      finalRating: { select: { id: true, mean: true, competent: true, scores: { select: { itemId: true, score: true } } } },
    },
  });
  return rows.flatMap((r) =>
    r.finalRating && r.finalizedAt
      ? [
          {
            ratingId: r.finalRating.id,
            recordingId: r.recordingId,
            frameworkId: r.frameworkId,
            frameworkVersion: r.frameworkVersion,
            phase: r.phase,
            session: r.recording.caseSession?.number ?? null,
            clientCode: r.recording.caseSession?.case.clientCode ?? null,
            finalizedAt: r.finalizedAt,
            competent: r.finalRating.competent,
            mean: r.finalRating.mean,
            scores: Object.fromEntries(r.finalRating.scores.map((s) => [s.itemId, s.score])),
          },
        ]
      : [],
  );
}

/** The trainee (an active or former account holding the TRAINEE role), or null. */
export async function getTrainee(db: DbTx, id: string) {
  return db.user.findFirst({ where: { id, roles: { some: { role: "TRAINEE" } } }, select: { id: true, name: true } });
}

/** How a person stands to a trainee: the trainee, a supervisor of one of their cases, a trainer of their cohort. */
export async function relationsToTrainee(db: DbTx, user: { id: string }, traineeId: string): Promise<Relation[]> {
  if (user.id === traineeId) return ["owner"];
  const [supervises, trains] = await Promise.all([
    db.trainingCase.findFirst({ where: { traineeId, supervisorId: user.id }, select: { id: true } }),
    db.cohortMember.findFirst({
      where: { userId: user.id, role: "TRAINER", cohort: { members: { some: { userId: traineeId, role: "TRAINEE" } } } },
      select: { id: true },
    }),
  ]);
  const relations: Relation[] = [];
  if (supervises) relations.push("case-supervisor");
  if (trains) relations.push("cohort-trainer");
  return relations;
}

/**
 * The trainees whose profiles a person may open from the list: everyone with the TRAINEE role for moderators and
 * admins (`all`), otherwise those they supervise on a case or train in a cohort.
 */
export async function traineesVisibleTo(db: DbTx, user: { id: string }, all: boolean) {
  const where = all
    ? { roles: { some: { role: "TRAINEE" as const } } }
    : {
        roles: { some: { role: "TRAINEE" as const } },
        OR: [
          { casesHeld: { some: { supervisorId: user.id } } },
          {
            memberships: {
              some: { role: "TRAINEE" as const, cohort: { members: { some: { userId: user.id, role: "TRAINER" as const } } } },
            },
          },
        ],
      };
  return db.user.findMany({ where, orderBy: { name: "asc" }, select: { id: true, name: true }, take: 500 });
}
