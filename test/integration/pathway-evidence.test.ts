// Gathering the pathway's evidence from real rows (module progress, attempts and marks, cases, supervision, final
// ratings, case studies and marks) and evaluating it against the fixture pathway, on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { currentPathway, getPathway, listPathways } from "#app/content.server/pathways.server";
import { getDb } from "#app/db.server";
import { evidenceHash } from "#app/domain/evidence-hash";
import { evidenceOf } from "#app/domain/pathway";
import { logSupervision, setCaseStatus } from "#app/models/case.server";
import { evaluateCohort, evaluateTrainee, gatherPathwayEvidence, traineesReadyForCertification } from "#app/models/pathway-evidence.server";
import * as cohortPathway from "#app/routes/cohorts.$cohortId.pathway";
import * as ownPathway from "#app/routes/pathway";
import * as traineePathway from "#app/routes/trainees.$userId.pathway";
import { callLoader, cookieFor, makeUser } from "../support/app";
import "../support/fixture-course";
import { completeTrainee } from "../support/pathway-world";

const stateOf = (evaluation: Awaited<ReturnType<typeof evaluateTrainee>>["evaluation"], id: string) =>
  evaluation.steps.find((s) => s.id === id)?.state;

describe("the pathway loader", () => {
  it("reads the pathway under CONTENT_DIR (the fixture's), by id and version, and the highest version as current", () => {
    expect(listPathways().map((p) => `${p.id} v${p.version}`)).toEqual(["dit-practitioner v1"]);
    expect(currentPathway().title).toBe("Fixture practitioner pathway");
    expect(getPathway("dit-practitioner", 1)?.certificate.credentialName).toBe("Fixture Practitioner");
    expect(getPathway("dit-practitioner", 2)).toBeNull();
    expect(() => currentPathway("no-such-pathway")).toThrow(/No pathway "no-such-pathway"/);
  });
});

describe("gathering evidence from real rows", () => {
  it("a trainee who did everything meets every step, each with the evidence rows and their hashes", async () => {
    const world = await completeTrainee();
    const { evaluation, evidence, pathway } = await evaluateTrainee(world.trainee.id);
    expect(pathway.id).toBe("dit-practitioner");
    expect(evaluation.steps.map((s) => [s.id, s.state, s.missing])).toEqual(pathway.steps.map((s) => [s.id, "met", []]));
    expect(evaluation.complete).toBe(true);

    const refs = evidenceOf(evaluation);
    const ratingIds = refs.filter((r) => r.kind === "rating").map((r) => r.id);
    expect(new Set(ratingIds)).toEqual(new Set(Object.values(world.ratings)));
    expect(refs.filter((r) => r.kind === "case").map((r) => r.id)).toEqual([world.caseA.id, world.caseB.id]);
    expect(refs.filter((r) => r.kind === "quiz-attempt").map((r) => r.id)).toEqual([world.attemptId]);
    expect(refs.filter((r) => r.kind === "supervision")).toHaveLength(2);
    const mark = await getDb().caseStudyMark.findUniqueOrThrow({ where: { caseStudyId: world.caseStudyId } });
    expect(refs.filter((r) => r.kind === "case-study-mark").map((r) => r.id)).toEqual([mark.id]);
    expect(refs.every((r) => /^[0-9a-f]{64}$/.test(r.hash ?? ""))).toBe(true);

    // The supervision hashes are over the row's evidential fields, recomputable from the database.
    const entry = await getDb().supervisionEntry.findFirstOrThrow({ where: { caseId: world.caseA.id } });
    const recomputed = evidenceHash("supervision-entry", {
      id: entry.id,
      caseId: entry.caseId,
      heldOn: entry.heldOn,
      minutes: entry.minutes,
      status: entry.status,
      loggedById: entry.loggedById,
      reviewedById: entry.reviewedById,
      reviewedAt: entry.reviewedAt,
    });
    expect(evidence.supervision.find((e) => e.id === entry.id)?.hash).toBe(recomputed);
    expect(refs.find((r) => r.id === entry.id)?.hash).toBe(recomputed);

    // Changing an evidential field changes its hash; gathering again sees it.
    await getDb().supervisionEntry.update({ where: { id: entry.id }, data: { minutes: 61 } });
    const again = await gatherPathwayEvidence(world.trainee.id);
    expect(again.supervision.find((e) => e.id === entry.id)?.hash).not.toBe(recomputed);

    // Certification's queue lists them.
    const ready = await traineesReadyForCertification();
    expect(ready.find((r) => r.userId === world.trainee.id)?.evaluation.complete).toBe(true);
  });

  it("only confirmed supervision counts; a withdrawn case stops the cases being concurrent; the queue leaves them out", async () => {
    const world = await completeTrainee();
    const db = getDb();
    // Unconfirm one hour: the two hours are no longer reached. (A pending entry is logged but not counted.)
    const entry = await db.supervisionEntry.findFirstOrThrow({ where: { caseId: world.caseB.id } });
    await db.supervisionEntry.update({ where: { id: entry.id }, data: { status: "PENDING" } });
    await logSupervision(db, { caseId: world.caseB.id, loggedById: world.trainee.id, heldOn: new Date(), minutes: 120, notes: "" });
    let { evaluation } = await evaluateTrainee(world.trainee.id);
    expect(stateOf(evaluation, "supervision-hours")).toBe("not-yet");
    expect(evaluation.steps.find((s) => s.id === "supervision-hours")?.missing).toEqual([
      "1 h more confirmed supervision (3 h awaiting your supervisor's confirmation).",
    ]);
    expect(evaluation.complete).toBe(false);
    expect((await traineesReadyForCertification()).some((r) => r.userId === world.trainee.id)).toBe(false);

    await db.supervisionEntry.update({ where: { id: entry.id }, data: { status: "CONFIRMED" } });
    expect(stateOf((await evaluateTrainee(world.trainee.id)).evaluation, "supervision-hours")).toBe("met");
    await setCaseStatus(db, { caseId: world.caseB.id, by: world.trainee.id, from: "OPEN", to: "WITHDRAWN" });
    ({ evaluation } = await evaluateTrainee(world.trainee.id));
    expect(stateOf(evaluation, "concurrent-cases")).toBe("not-yet");
    // The recordings must come from the concurrent cases, so those of the withdrawn case no longer count either.
    expect(stateOf(evaluation, "rated-recordings")).toBe("not-yet");
  });

  it("a trainee with nothing yet is not-yet on every step and told what to do first", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const { evaluation } = await evaluateTrainee(trainee.id);
    expect(evaluation.steps.map((s) => s.state)).toEqual(evaluation.steps.map(() => "not-yet"));
    expect(evaluation.steps.find((s) => s.id === "core-modules")?.missing).toEqual([
      "Complete the module “Fixture module one”.",
      "Complete the module “Fixture module two”.",
      "Complete the module “Fixture module three”.",
    ]);
    expect(evaluation.steps.find((s) => s.id === "case-study")?.missing).toEqual(["Submit your written case study."]);
  });

  it("a time limit that has passed blocks the step", async () => {
    const world = await completeTrainee();
    // The course was completed four years ago and supervision only now: beyond the 36 months.
    const long = new Date(Date.now() - 4 * 365 * 24 * 60 * 60 * 1000);
    await getDb().moduleProgress.updateMany({ where: { userId: world.trainee.id }, data: { completedAt: long } });
    const { evaluation } = await evaluateTrainee(world.trainee.id);
    expect(stateOf(evaluation, "supervision-completed-in-time")).toBe("blocked");
    expect(stateOf(evaluation, "practice-started-in-time")).toBe("blocked");
    expect(evaluation.complete).toBe(false);
  });
});

describe("the checklist pages", () => {
  it("the trainee sees their own checklist with evidence links; their cohort trainer and an admin see theirs; another trainer gets 404", async () => {
    const world = await completeTrainee();
    const own = await callLoader(ownPathway.loader, { path: "/pathway", cookie: world.cookie });
    expect(own.status).toBe(200);
    const data = own.data as { complete: boolean; steps: { id: string; state: string; evidence: { href: string | null }[] }[] };
    expect(data.complete).toBe(true);
    const caseStudy = data.steps.find((s) => s.id === "case-study");
    expect(caseStudy?.evidence.map((e) => e.href)).toEqual([`/case-studies/${world.caseStudyId}`]);
    expect(data.steps.find((s) => s.id === "concurrent-cases")?.evidence.map((e) => e.href)).toEqual([
      `/cases/${world.caseA.id}`,
      `/cases/${world.caseB.id}`,
    ]);

    const path = `/trainees/${world.trainee.id}/pathway`;
    const params = { userId: world.trainee.id };
    const byTrainer = await callLoader(traineePathway.loader, { path, params, cookie: await cookieFor(world.trainer.id) });
    expect(byTrainer.status).toBe(200);
    expect((byTrainer.data as { complete: boolean }).complete).toBe(true);
    const admin = await makeUser(["ADMIN"]);
    expect((await callLoader(traineePathway.loader, { path, params, cookie: await cookieFor(admin.id) })).status).toBe(200);
    const outsider = await makeUser(["TRAINER"]);
    expect((await callLoader(traineePathway.loader, { path, params, cookie: await cookieFor(outsider.id) })).status).toBe(404);
    // Not a trainee at all looks like nobody.
    expect(
      (
        await callLoader(traineePathway.loader, {
          path: `/trainees/${admin.id}/pathway`,
          params: { userId: admin.id },
          cookie: await cookieFor(admin.id),
        })
      ).status,
    ).toBe(404);

    const grid = await callLoader(cohortPathway.loader, {
      path: `/cohorts/${world.cohortId}/pathway`,
      params: { cohortId: world.cohortId },
      cookie: await cookieFor(world.trainer.id),
    });
    expect(grid.status).toBe(200);
    const rows = (grid.data as { rows: { userId: string; complete: boolean; cells: { state: string }[] }[] }).rows;
    expect(rows).toEqual([expect.objectContaining({ userId: world.trainee.id, complete: true })]);
    const cohort = await evaluateCohort(world.cohortId);
    expect(cohort.rows.map((r) => r.userId)).toEqual([world.trainee.id]);
    expect(
      (
        await callLoader(cohortPathway.loader, {
          path: `/cohorts/${world.cohortId}/pathway`,
          params: { cohortId: world.cohortId },
          cookie: await cookieFor(outsider.id),
        })
      ).status,
    ).toBe(404);
  });
});
