// The rating workflow's models on a real database (both lanes): assignment rules, drafts and the lock on submission,
// the agreement rule (derived final, or moderation), moderation, the single-rater rule, release, retention, evidence.
import { describe, expect, it } from "vitest";
import { currentFramework, getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { finalRatingHash } from "#app/domain/rating-hash";
import { ratedDeadline } from "#app/domain/retention";
import {
  addComment,
  assignRater,
  deleteComment,
  markCalibrated,
  moderationDetail,
  releasedRating,
  saveDraft,
  settleModeration,
  submitRating,
  withdrawAssignment,
} from "#app/models/rating.server";
import { finalRatingsForTrainee } from "#app/models/rating-evidence.server";
import { isRated, withdrawRecording } from "#app/models/recording-retention.server";
import { makeUser } from "../support/app";
import { readyRecordingRow } from "../support/rating-rows";
import { calibratedRater, RETENTION, rating, ratingScene } from "../support/rating-scene";
import { reservedRecording, traineeWithSession } from "../support/recording-fixtures";
import { makeCohort } from "../support/world";

const EA = "engagement-alliance";
const FI = "formulating-ipaf";

const submit = (
  assignmentId: string,
  raterId: string,
  scores: Record<string, number | null>,
  extra: { notes?: Record<string, string>; feedback?: string; now?: Date } = {},
) =>
  submitRating(getDb(), {
    assignmentId,
    raterId,
    framework: currentFramework(),
    data: rating(scores, extra.notes, extra.feedback),
    retention: RETENTION,
    now: extra.now,
  });

const assessment = (recordingId: string) => getDb().recordingAssessment.findUniqueOrThrow({ where: { recordingId } });

describe("assigning raters", () => {
  it("opens the assessment against the current framework and makes each rater's empty draft", async () => {
    const s = await ratingScene();
    const a = await assessment(s.recordingId);
    expect(a).toMatchObject({
      frameworkId: "dit-competence",
      frameworkVersion: 1,
      phase: "initial",
      state: "RATING",
      secondRaterRequired: true,
    });
    const drafts = await getDb().rating.findMany({ where: { recordingId: s.recordingId }, orderBy: { createdAt: "asc" } });
    expect(drafts.map((d) => [d.raterId, d.kind, d.status])).toEqual([
      [s.primary.id, "PROVISIONAL", "DRAFT"],
      [s.second.id, "PROVISIONAL", "DRAFT"],
    ]);
    expect(await getDb().auditEvent.count({ where: { type: "rating.assigned", subjectId: s.recordingId } })).toBe(2);
  });

  it("refuses the trainee, the same person twice, the supervisor as second rater, an uncalibrated rater, and unready recordings", async () => {
    const db = getDb();
    const framework = currentFramework();
    const scene = await traineeWithSession();
    const recordingId = await readyRecordingRow(scene);
    const admin = await makeUser(["ADMIN"]);
    const rater = await calibratedRater();
    const assign = (raterId: string, role: "PRIMARY" | "SECOND", id = recordingId) =>
      assignRater(db, { recordingId: id, raterId, role, by: admin.id, framework, random: () => 0 });

    const uploading = await reservedRecording(scene);
    expect(await assign(rater.id, "PRIMARY", uploading)).toEqual({ ok: false, problem: "not-ready" });
    // The refusal rolled back: no assessment was opened for the unready recording.
    expect(await db.recordingAssessment.findUnique({ where: { recordingId: uploading } })).toBeNull();

    expect(await assign(scene.trainee.id, "PRIMARY")).toEqual({ ok: false, problem: "not-a-rater" });
    const uncalibrated = await makeUser(["TRAINER"]);
    expect(await assign(uncalibrated.id, "PRIMARY")).toEqual({ ok: false, problem: "not-calibrated" });

    await markCalibrated(db, { raterId: scene.supervisor.id, framework, by: null });
    expect((await assign(scene.supervisor.id, "PRIMARY")).ok).toBe(true);
    expect(await assign(rater.id, "PRIMARY")).toEqual({ ok: false, problem: "role-taken" });
    expect(await assign(scene.supervisor.id, "SECOND")).toEqual({ ok: false, problem: "already-assigned" });

    // The trainee's cohort supervisor is not independent either.
    const cohortSupervisor = await calibratedRater();
    await makeCohort({ trainers: [cohortSupervisor.id], trainees: [scene.trainee.id] });
    expect(await assign(cohortSupervisor.id, "SECOND")).toEqual({ ok: false, problem: "supervisor-as-second" });
    expect((await assign(rater.id, "SECOND")).ok).toBe(true);
    const current = await db.ratingAssignment.findMany({ where: { recordingId, withdrawnAt: null } });
    expect(current.map((c) => c.raterId).sort()).toEqual([scene.supervisor.id, rater.id].sort());
  });

  it("a rater whose draft is not submitted can be withdrawn, freeing the role; a submitted one cannot", async () => {
    const s = await ratingScene();
    const db = getDb();
    expect(
      await withdrawAssignment(db, { recordingId: s.recordingId, assignmentId: s.secondAssignment as string, by: s.admin.id }),
    ).toEqual({
      ok: true,
    });
    const replacement = await calibratedRater();
    const again = await assignRater(db, {
      recordingId: s.recordingId,
      raterId: replacement.id,
      role: "SECOND",
      by: s.admin.id,
      framework: s.framework,
    });
    expect(again.ok).toBe(true);
    expect((await submit(s.primaryAssignment, s.primary.id, { [EA]: 4, [FI]: 4 })).ok).toBe(true);
    expect(await withdrawAssignment(db, { recordingId: s.recordingId, assignmentId: s.primaryAssignment, by: s.admin.id })).toEqual({
      ok: false,
      problem: "submitted",
    });
  });
});

describe("drafts and submission", () => {
  it("saves drafts as the rater goes, refuses an incomplete submission, and locks the submitted rating for good", async () => {
    const s = await ratingScene();
    const db = getDb();
    const framework = currentFramework();
    const draft = rating({ [EA]: 5, [FI]: null }, { [EA]: "Warm opening" }, "Work in progress");
    expect(await saveDraft(db, { assignmentId: s.primaryAssignment, raterId: s.primary.id, framework, data: draft })).toBe(true);
    const commentId = await addComment(db, {
      assignmentId: s.primaryAssignment,
      raterId: s.primary.id,
      atSeconds: 12,
      itemId: EA,
      body: "Good pacing",
    });
    expect(commentId).toBeTruthy();
    const r = await db.rating.findFirstOrThrow({ where: { assignmentId: s.primaryAssignment }, include: { scores: true } });
    expect(r.overallFeedback).toBe("Work in progress");
    expect(r.scores.map((x) => [x.itemId, x.score, x.note])).toEqual(
      expect.arrayContaining([
        [EA, 5, "Warm opening"],
        [FI, null, ""],
      ]),
    );

    const incomplete = await submit(s.primaryAssignment, s.primary.id, { [EA]: 5, [FI]: null });
    expect(incomplete).toMatchObject({ ok: false, problem: "incomplete", errors: { [FI]: expect.any(String) } });

    const done = await submit(s.primaryAssignment, s.primary.id, { [EA]: 5, [FI]: 4 }, { feedback: "Final words" });
    expect(done).toMatchObject({ ok: true, state: "RATING" });
    const locked = await db.rating.findFirstOrThrow({
      where: { assignmentId: s.primaryAssignment },
      include: { scores: true, comments: true },
    });
    expect(locked).toMatchObject({ status: "SUBMITTED", mean: 4.5, competent: true, overallFeedback: "Final words" });
    // Every framework item has its row: the phase's items scored, the others not applicable.
    expect(locked.scores).toHaveLength(framework.items.length);
    expect(
      locked.scores
        .filter((x) => x.notApplicable)
        .map((x) => x.itemId)
        .sort(),
    ).toEqual(
      framework.items
        .filter((i) => !i.phases.includes("initial"))
        .map((i) => i.id)
        .sort(),
    );

    // Nothing changes it afterwards: not a draft save, a comment, a deletion, nor a second submission.
    expect(
      await saveDraft(db, { assignmentId: s.primaryAssignment, raterId: s.primary.id, framework, data: rating({ [EA]: 0, [FI]: 0 }) }),
    ).toBe(false);
    expect(
      await addComment(db, { assignmentId: s.primaryAssignment, raterId: s.primary.id, atSeconds: 1, itemId: null, body: "late" }),
    ).toBeNull();
    expect(await deleteComment(db, { assignmentId: s.primaryAssignment, raterId: s.primary.id, commentId: commentId as string })).toBe(
      false,
    );
    expect(await submit(s.primaryAssignment, s.primary.id, { [EA]: 1, [FI]: 1 })).toEqual({ ok: false, problem: "locked" });
    const after = await db.rating.findFirstOrThrow({
      where: { assignmentId: s.primaryAssignment },
      include: { scores: true, comments: true },
    });
    expect(after).toEqual(locked);
  });

  it("another person cannot write a rater's draft", async () => {
    const s = await ratingScene();
    const framework = currentFramework();
    expect(
      await saveDraft(getDb(), { assignmentId: s.primaryAssignment, raterId: s.second.id, framework, data: rating({ [EA]: 1 }) }),
    ).toBe(false);
    expect(await submit(s.primaryAssignment, s.second.id, { [EA]: 1, [FI]: 1 })).toEqual({ ok: false, problem: "locked" });
  });
});

describe("agreement and the final rating", () => {
  it("two agreeing ratings give a DERIVED final rating of its own; both provisional ratings stay; comments are released; retention moves", async () => {
    const s = await ratingScene();
    const db = getDb();
    await addComment(db, {
      assignmentId: s.primaryAssignment,
      raterId: s.primary.id,
      atSeconds: 30,
      itemId: null,
      body: "Primary's comment",
    });
    expect(await submit(s.primaryAssignment, s.primary.id, { [EA]: 4, [FI]: 4 })).toMatchObject({ ok: true, state: "RATING" });
    const now = new Date("2026-12-01T10:00:00Z");
    const last = await submit(s.secondAssignment as string, s.second.id, { [EA]: 4, [FI]: 3 }, { now });
    expect(last).toMatchObject({
      ok: true,
      state: "FINAL",
      notices: [{ kind: "released", userId: s.trainee.id, recordingId: s.recordingId }],
    });

    const a = await assessment(s.recordingId);
    expect(a).toMatchObject({ state: "FINAL", decidedBy: "DERIVED", finalizedAt: now, releasedAt: now });
    const final = await db.rating.findUniqueOrThrow({ where: { id: a.finalRatingId as string }, include: { scores: true } });
    expect(final).toMatchObject({ kind: "DERIVED", status: "SUBMITTED", raterId: null, assignmentId: null, mean: 3.5, competent: true });
    expect(Object.fromEntries(final.scores.filter((x) => !x.notApplicable).map((x) => [x.itemId, x.score]))).toEqual({ [EA]: 4, [FI]: 3 });
    const provisional = await db.rating.findMany({ where: { recordingId: s.recordingId, kind: "PROVISIONAL" } });
    expect(provisional.map((p) => p.status)).toEqual(["SUBMITTED", "SUBMITTED"]);
    const comments = await db.timedComment.findMany({ where: { recordingId: s.recordingId } });
    expect(comments.map((c) => c.releasedAt)).toEqual([now]);
    const recording = await db.recording.findUniqueOrThrow({ where: { id: s.recordingId } });
    expect(recording.deleteAfter).toEqual(ratedDeadline(RETENTION, now));

    // Rated now: the trainee can no longer withdraw it.
    expect(await isRated(db, s.recordingId)).toBe(true);
    expect(await withdrawRecording(db, { recordingId: s.recordingId, ownerId: s.trainee.id })).toEqual({ ok: false, problem: "rated" });

    const released = await releasedRating(db, s.recordingId);
    expect(released?.comments.map((c) => c.body)).toEqual(["Primary's comment"]);
  });

  it("the final rating is evidence: finalRatingsForTrainee with the hash of its canonical JSON", async () => {
    const s = await ratingScene();
    await submit(s.primaryAssignment, s.primary.id, { [EA]: 4, [FI]: 4 });
    const now = new Date("2026-11-20T09:30:00Z");
    await submit(s.secondAssignment as string, s.second.id, { [EA]: 5, [FI]: 4 }, { now });
    const [evidence, ...rest] = await finalRatingsForTrainee(s.trainee.id);
    expect(rest).toEqual([]);
    const a = await assessment(s.recordingId);
    const framework = currentFramework();
    const na = Object.fromEntries(framework.items.filter((i) => !i.phases.includes("initial")).map((i) => [i.id, null]));
    expect(evidence).toEqual({
      ratingId: a.finalRatingId,
      recordingId: s.recordingId,
      recordingKind: "CASE_SESSION",
      caseId: s.caseId,
      sessionNumber: 1,
      phase: "initial",
      frameworkId: "dit-competence",
      frameworkVersion: 1,
      competent: true,
      mean: 4,
      finalizedAt: now,
      releasedAt: now,
      hash: finalRatingHash({
        frameworkId: "dit-competence",
        frameworkVersion: 1,
        scores: { [EA]: 4, [FI]: 4, ...na },
        competent: true,
        decidedBy: "DERIVED",
        finalizedAt: now,
      }),
    });
    expect(evidence?.hash).toMatch(/^[0-9a-f]{64}$/);
    // Nothing for a trainee without final ratings.
    expect(await finalRatingsForTrainee(s.second.id)).toEqual([]);
  });

  it("simultaneous submissions settle the assessment exactly once", async () => {
    const s = await ratingScene();
    const results = await Promise.all([
      submit(s.primaryAssignment, s.primary.id, { [EA]: 4, [FI]: 4 }),
      submit(s.secondAssignment as string, s.second.id, { [EA]: 4, [FI]: 4 }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(results.map((r) => (r.ok ? r.state : null)).sort()).toEqual(["FINAL", "RATING"]);
    expect(await getDb().rating.count({ where: { recordingId: s.recordingId, kind: "DERIVED" } })).toBe(1);
  });

  it("with no second rater drawn, the primary's rating becomes final by rule (SINGLE), on a second framework too", async () => {
    const db = getDb();
    const framework = getFramework("brief-observation", 2);
    if (!framework) throw new Error("fixture framework missing");
    const scene = await traineeWithSession();
    const recordingId = await readyRecordingRow(scene);
    const admin = await makeUser(["ADMIN"]);
    const rater = await makeUser(["TRAINER"]);
    await markCalibrated(db, { raterId: rater.id, framework, by: null });
    // rules.secondRater: 20 % — a draw of 0.5 means no second rater.
    const assigned = await assignRater(db, { recordingId, raterId: rater.id, role: "PRIMARY", by: admin.id, framework, random: () => 0.5 });
    if (!assigned.ok) throw new Error(assigned.problem);
    expect((await assessment(recordingId)).secondRaterRequired).toBe(false);
    const result = await submitRating(db, {
      assignmentId: assigned.assignmentId,
      raterId: rater.id,
      framework,
      data: rating({ listening: 4 }),
      retention: RETENTION,
    });
    expect(result).toMatchObject({ ok: true, state: "FINAL" });
    const a = await assessment(recordingId);
    expect(a).toMatchObject({ decidedBy: "SINGLE", frameworkId: "brief-observation", frameworkVersion: 2 });
    const final = await db.rating.findUniqueOrThrow({ where: { id: a.finalRatingId as string }, include: { scores: true } });
    expect(final).toMatchObject({ kind: "DERIVED", mean: 4, competent: true });
    expect(final.scores.find((x) => x.itemId === "listening")?.score).toBe(4);
  });
});

describe("moderation", () => {
  it("a disagreement goes to a moderator, who records the MODERATED final rating with a rationale; never one of the raters", async () => {
    const s = await ratingScene();
    const db = getDb();
    const framework = currentFramework();
    await submit(s.primaryAssignment, s.primary.id, { [EA]: 5, [FI]: 4 });
    const last = await submit(s.secondAssignment as string, s.second.id, { [EA]: 2, [FI]: 2 });
    expect(last).toMatchObject({ ok: true, state: "MODERATION", notices: [{ kind: "moderation" }] });
    const a = await assessment(s.recordingId);
    expect(a).toMatchObject({ state: "MODERATION", finalRatingId: null });
    const moderation = await db.moderation.findUniqueOrThrow({ where: { assessmentId: a.id } });
    const detail = await moderationDetail(db, moderation.id);
    expect(detail?.reasons.map((r) => [r.kind, r.itemId ?? null])).toEqual([
      ["item-tolerance", EA],
      ["item-tolerance", FI],
      ["competence", null],
    ]);
    expect(detail?.ratings.map((r) => r.raterId)).toEqual([s.primary.id, s.second.id]);

    // A rater who is also a moderator cannot settle their own recording's disagreement.
    await db.userRole.create({ data: { userId: s.primary.id, role: "MODERATOR" } });
    const settle = (moderatorId: string, scores: Record<string, number | null>) =>
      settleModeration(db, {
        moderationId: moderation.id,
        moderatorId,
        framework,
        data: rating(scores, {}, "Feedback"),
        rationale: "Because",
        retention: RETENTION,
      });
    expect(await settle(s.primary.id, { [EA]: 4, [FI]: 3 })).toEqual({ ok: false, problem: "own-rating" });

    const moderator = await makeUser(["MODERATOR"]);
    expect(await settle(moderator.id, { [EA]: 4, [FI]: null })).toMatchObject({ ok: false, problem: "incomplete" });
    expect(await settle(moderator.id, { [EA]: 4, [FI]: 3 })).toMatchObject({
      ok: true,
      notices: [{ kind: "released", userId: s.trainee.id }],
    });
    expect(await settle(moderator.id, { [EA]: 1, [FI]: 1 })).toEqual({ ok: false, problem: "settled" });

    const settled = await assessment(s.recordingId);
    expect(settled).toMatchObject({ state: "FINAL", decidedBy: "MODERATED" });
    const final = await db.rating.findUniqueOrThrow({ where: { id: settled.finalRatingId as string } });
    expect(final).toMatchObject({ kind: "MODERATED", raterId: moderator.id, overallFeedback: "Feedback", competent: true });
    const m = await db.moderation.findUniqueOrThrow({ where: { id: moderation.id } });
    expect(m).toMatchObject({ moderatorId: moderator.id, rationale: "Because", finalRatingId: final.id });
    expect(m.settledAt).not.toBeNull();
    // The raters' ratings are kept as they were.
    const provisional = await db.rating.findMany({ where: { recordingId: s.recordingId, kind: "PROVISIONAL" }, include: { scores: true } });
    expect(provisional.map((p) => p.status)).toEqual(["SUBMITTED", "SUBMITTED"]);
    expect(provisional.flatMap((p) => p.scores.filter((x) => x.itemId === EA).map((x) => x.score)).sort()).toEqual([2, 5]);
  });
});
