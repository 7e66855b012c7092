import { describe, expect, it } from "vitest";
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import {
  calibrationFor,
  isCalibrated,
  markCalibrationRecording,
  recordReferenceRating,
  settleCalibrationAttempt,
  startCalibrationAttempt,
  submitCalibrationAttempt,
  withdrawCalibrationRecording,
} from "#app/models/calibration.server";
import * as dashboard from "#app/routes/calibration._index";
import * as attemptPage from "#app/routes/calibration.$calibrationId";
import * as managePage from "#app/routes/calibration.manage";
import * as referencePage from "#app/routes/calibration.manage.$calibrationId";
import * as recordingPage from "#app/routes/recordings.$recordingId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import "../support/fixture-course";
import { readyRecordingRow } from "../support/rating-rows";
import { reservedRecording, traineeWithSession } from "../support/recording-fixtures";

// The fixture framework (test/fixtures/content/frameworks/dit-competence-v1.yaml): session 1 is in the initial
// phase, whose items are engagement-alliance and formulating-ipaf; calibration passes with 80 % of items within 1
// point and the same competence judgement; 2 recordings make a rater calibrated.
const framework = () => currentFramework();
const REFERENCE = { "engagement-alliance": 4, "formulating-ipaf": 3 };

/** A moderator and a calibration recording with its reference rating (session 1, initial phase). */
async function calibrationRecording(moderatorId?: string) {
  const moderator = moderatorId ?? (await makeUser(["MODERATOR"])).id;
  const scene = await traineeWithSession();
  const recordingId = await readyRecordingRow(scene);
  const marked = await markCalibrationRecording(getDb(), { recordingId, framework: framework(), markedById: moderator });
  if (!marked.ok) throw new Error(marked.problem);
  const ref = await recordReferenceRating(getDb(), {
    calibrationId: marked.calibrationId,
    framework: framework(),
    moderatorId: moderator,
    scores: REFERENCE,
  });
  if (!ref.ok) throw new Error(ref.problem);
  return { moderator, recordingId, calibrationId: marked.calibrationId, scene };
}

describe("calibration material", () => {
  it("is marked by a moderator on a READY recording, once per framework version, and audited", async () => {
    const moderator = await makeUser(["MODERATOR"]);
    const scene = await traineeWithSession();
    const db = getDb();
    const uploading = await reservedRecording(scene);
    expect(await markCalibrationRecording(db, { recordingId: uploading, framework: framework(), markedById: moderator.id })).toEqual({
      ok: false,
      problem: "not-ready",
    });
    const recordingId = await readyRecordingRow(scene);
    const marked = await markCalibrationRecording(db, { recordingId, framework: framework(), markedById: moderator.id });
    expect(marked.ok).toBe(true);
    expect(await markCalibrationRecording(db, { recordingId, framework: framework(), markedById: moderator.id })).toEqual({
      ok: false,
      problem: "already-marked",
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { type: "calibration.marked", subjectId: recordingId } });
    expect(event.actorId).toBe(moderator.id);
  });

  it("gets one complete reference rating, with a row for every item, never replaced", async () => {
    const moderator = await makeUser(["MODERATOR"]);
    const scene = await traineeWithSession();
    const db = getDb();
    const recordingId = await readyRecordingRow(scene);
    const marked = await markCalibrationRecording(db, { recordingId, framework: framework(), markedById: moderator.id });
    if (!marked.ok) throw new Error(marked.problem);
    const incomplete = await recordReferenceRating(db, {
      calibrationId: marked.calibrationId,
      framework: framework(),
      moderatorId: moderator.id,
      scores: { "engagement-alliance": 4 },
    });
    expect(incomplete).toMatchObject({ ok: false, errors: { "formulating-ipaf": "Score this item." } });
    const done = await recordReferenceRating(db, {
      calibrationId: marked.calibrationId,
      framework: framework(),
      moderatorId: moderator.id,
      scores: REFERENCE,
    });
    if (!done.ok) throw new Error(done.problem);
    const rows = await db.itemScore.findMany({ where: { ratingId: done.ratingId }, orderBy: { itemId: "asc" } });
    expect(rows.map((r) => [r.itemId, r.score, r.notApplicable])).toEqual([
      ["ending-goodbye-letter", null, true],
      ["engagement-alliance", 4, false],
      ["formulating-ipaf", 3, false],
      ["keeping-to-ipaf", null, true],
    ]);
    expect(await db.rating.findUniqueOrThrow({ where: { id: done.ratingId } })).toMatchObject({
      kind: "REFERENCE",
      status: "SUBMITTED",
      mean: 3.5,
      competent: true,
    });
    expect(
      await recordReferenceRating(db, {
        calibrationId: marked.calibrationId,
        framework: framework(),
        moderatorId: moderator.id,
        scores: REFERENCE,
      }),
    ).toEqual({ ok: false, problem: "reference-set" });
  });
});

describe("a trainer's calibration", () => {
  it("passes recording by recording and becomes a qualification for the framework version", async () => {
    const moderator = await makeUser(["MODERATOR"]);
    const first = await calibrationRecording(moderator.id);
    const second = await calibrationRecording(moderator.id);
    const trainer = await makeUser(["TRAINER"]);
    const db = getDb();
    const before = await calibrationFor(db, trainer.id, framework());
    expect(before.status).toEqual({ calibrated: false, passed: 0, required: 2 });
    expect(before.items.filter((i) => [first.calibrationId, second.calibrationId].includes(i.calibrationId)).map((i) => i.ready)).toEqual([
      true,
      true,
    ]);

    // Within one point on both items, same judgement: passes.
    const one = await submitCalibrationAttempt(db, {
      calibrationId: first.calibrationId,
      framework: framework(),
      raterId: trainer.id,
      scores: { "engagement-alliance": 3, "formulating-ipaf": 4 },
    });
    expect(one).toMatchObject({
      ok: true,
      result: { withinTolerance: true, itemAgreement: 1 },
      status: { passed: 1, calibrated: false },
      newlyCalibrated: false,
    });
    expect(await isCalibrated(db, trainer.id, framework())).toBe(false);
    // Each calibration recording is rated once.
    expect(
      await submitCalibrationAttempt(db, {
        calibrationId: first.calibrationId,
        framework: framework(),
        raterId: trainer.id,
        scores: REFERENCE,
      }),
    ).toEqual({ ok: false, problem: "already-attempted" });
    expect(await startCalibrationAttempt(db, { calibrationId: first.calibrationId, framework: framework(), raterId: trainer.id })).toEqual({
      ok: false,
      problem: "already-attempted",
    });

    const two = await submitCalibrationAttempt(db, {
      calibrationId: second.calibrationId,
      framework: framework(),
      raterId: trainer.id,
      scores: REFERENCE,
    });
    expect(two).toMatchObject({ ok: true, status: { passed: 2, required: 2, calibrated: true }, newlyCalibrated: true });
    expect(await isCalibrated(db, trainer.id, framework())).toBe(true);
    const q = await db.raterQualification.findMany({ where: { raterId: trainer.id } });
    expect(q.map((r) => [r.frameworkId, r.frameworkVersion])).toEqual([[framework().id, framework().version]]);
    expect(await db.auditEvent.count({ where: { type: "rating.rater-calibrated", subjectId: trainer.id } })).toBe(1);
    // The rows are what the statistics and the assignment rule read.
    const rating = await db.rating.findUniqueOrThrow({ where: { id: two.ok ? two.ratingId : "" }, include: { assignment: true } });
    expect(rating).toMatchObject({ kind: "CALIBRATION", status: "SUBMITTED", raterId: trainer.id });
    expect(rating.assignment).toMatchObject({ purpose: "CALIBRATION", raterId: trainer.id, assignedById: trainer.id });

    // Settling again changes nothing (idempotent).
    const again = await settleCalibrationAttempt(db, framework(), rating.id);
    expect(again).toMatchObject({ newlyCalibrated: false, status: { calibrated: true } });
    expect(await db.raterQualification.count({ where: { raterId: trainer.id } })).toBe(1);
    expect((await calibrationFor(db, trainer.id, framework())).qualifiedAt).not.toBeNull();
  });

  it("does not count an attempt outside the tolerance or with another competence judgement", async () => {
    const first = await calibrationRecording();
    const second = await calibrationRecording();
    const trainer = await makeUser(["TRAINER"]);
    const db = getDb();
    // Two points off on one item: 1 of 2 within tolerance.
    const far = await submitCalibrationAttempt(db, {
      calibrationId: first.calibrationId,
      framework: framework(),
      raterId: trainer.id,
      scores: { "engagement-alliance": 2, "formulating-ipaf": 3 },
    });
    expect(far).toMatchObject({ ok: true, result: { withinTolerance: false, itemAgreement: 0.5 }, status: { passed: 0 } });
    // Within a point on both, but not competent (mean 2.5) where the reference is: fails on judgement.
    const judged = await submitCalibrationAttempt(db, {
      calibrationId: second.calibrationId,
      framework: framework(),
      raterId: trainer.id,
      scores: { "engagement-alliance": 3, "formulating-ipaf": 2 },
    });
    expect(judged).toMatchObject({
      ok: true,
      result: { withinTolerance: false, itemAgreement: 1, competenceAgrees: false },
      status: { passed: 0 },
    });
    expect(await isCalibrated(db, trainer.id, framework())).toBe(false);
    expect(await db.raterQualification.count({ where: { raterId: trainer.id } })).toBe(0);
  });

  it("refuses incomplete scores without writing anything", async () => {
    const c = await calibrationRecording();
    const trainer = await makeUser(["TRAINER"]);
    const db = getDb();
    const out = await submitCalibrationAttempt(db, {
      calibrationId: c.calibrationId,
      framework: framework(),
      raterId: trainer.id,
      scores: { "engagement-alliance": 9 },
    });
    expect(out).toMatchObject({
      ok: false,
      errors: { "engagement-alliance": "A score is a whole number from 0 to 6.", "formulating-ipaf": "Score this item." },
    });
    expect(await db.rating.count({ where: { raterId: trainer.id } })).toBe(0);
    expect(await db.ratingAssignment.count({ where: { raterId: trainer.id } })).toBe(0);
  });
});

describe("who may calibrate on a recording", () => {
  it("never the moderator who recorded its reference, nor anyone assigned to rate it for assessment: refused, unlisted, 404", async () => {
    const c = await calibrationRecording();
    const db = getDb();
    const summativeRater = await makeUser(["TRAINER"]);
    await db.ratingAssignment.create({
      data: { recordingId: c.recordingId, raterId: summativeRater.id, role: "PRIMARY", assignedById: c.moderator, withdrawnAt: new Date() },
    });
    const input = (raterId: string) => ({ calibrationId: c.calibrationId, framework: framework(), raterId });
    expect(await startCalibrationAttempt(db, input(c.moderator))).toEqual({ ok: false, problem: "own-reference" });
    expect(await submitCalibrationAttempt(db, { ...input(c.moderator), scores: REFERENCE })).toEqual({
      ok: false,
      problem: "own-reference",
    });
    // Even a withdrawn summative assignment: they have seen the recording.
    expect(await startCalibrationAttempt(db, input(summativeRater.id))).toEqual({ ok: false, problem: "summative-rater" });
    expect(await submitCalibrationAttempt(db, { ...input(summativeRater.id), scores: REFERENCE })).toEqual({
      ok: false,
      problem: "summative-rater",
    });
    expect(await startCalibrationAttempt(db, input(c.scene.trainee.id))).toEqual({ ok: false, problem: "own-recording" });
    for (const who of [c.moderator, summativeRater.id]) {
      const listed = (await calibrationFor(db, who, framework())).items.map((i) => i.calibrationId);
      expect(listed).not.toContain(c.calibrationId);
      const page = await callLoader(attemptPage.loader, {
        path: "/x",
        params: { calibrationId: c.calibrationId },
        cookie: await cookieFor(who),
      });
      expect(page.status).toBe(404);
    }
    expect(await db.rating.count({ where: { kind: "CALIBRATION", recordingId: c.recordingId } })).toBe(0);
    // Another trainer may.
    const other = await makeUser(["TRAINER"]);
    expect((await calibrationFor(db, other.id, framework())).items.map((i) => i.calibrationId)).toContain(c.calibrationId);
    expect(await startCalibrationAttempt(db, input(other.id))).toMatchObject({ ok: true });
  });

  it("a calibrating rater plays the recording on the calibration page only: its own page (trainee, case, ratings) is a 404", async () => {
    const c = await calibrationRecording();
    const trainer = await makeUser(["TRAINER"]);
    const cookie = await cookieFor(trainer.id);
    const params = { calibrationId: c.calibrationId };
    const before = await callLoader(attemptPage.loader, { path: "/x", params, cookie });
    expect(before.data).toMatchObject({ started: false, player: null });
    await callAction(attemptPage.action, { path: "/x", params, cookie, form: { intent: "start" } });
    const page = await callLoader(attemptPage.loader, { path: "/x", params, cookie });
    const player = (page.data as { player: { src: string } | null }).player;
    expect(player?.src).toMatch(new RegExp(`^/recordings/${c.recordingId}/media\\?g=`));
    const own = await callLoader(recordingPage.loader, {
      path: `/recordings/${c.recordingId}`,
      params: { recordingId: c.recordingId },
      cookie,
    });
    expect(own.status).toBe(404);
    // The page never names the trainee.
    const { name } = await getDb().user.findUniqueOrThrow({ where: { id: c.scene.trainee.id }, select: { name: true } });
    expect(name.length).toBeGreaterThan(3);
    expect(JSON.stringify(page.data)).not.toContain(name);
  });
});

describe("withdrawn calibration", () => {
  it("a reference cannot be recorded on withdrawn material, and passes on withdrawn material do not count", async () => {
    const moderator = await makeUser(["MODERATOR"]);
    const db = getDb();
    const recordingId = await readyRecordingRow(await traineeWithSession());
    const marked = await markCalibrationRecording(db, { recordingId, framework: framework(), markedById: moderator.id });
    if (!marked.ok) throw new Error(marked.problem);
    await withdrawCalibrationRecording(db, { calibrationId: marked.calibrationId, by: moderator.id });
    expect(
      await recordReferenceRating(db, {
        calibrationId: marked.calibrationId,
        framework: framework(),
        moderatorId: moderator.id,
        scores: REFERENCE,
      }),
    ).toEqual({ ok: false, problem: "not-found" });

    const first = await calibrationRecording(moderator.id);
    const second = await calibrationRecording(moderator.id);
    const trainer = await makeUser(["TRAINER"]);
    const one = await submitCalibrationAttempt(db, {
      calibrationId: first.calibrationId,
      framework: framework(),
      raterId: trainer.id,
      scores: REFERENCE,
    });
    expect(one).toMatchObject({ ok: true, status: { passed: 1 } });
    await withdrawCalibrationRecording(db, { calibrationId: first.calibrationId, by: moderator.id });
    const two = await submitCalibrationAttempt(db, {
      calibrationId: second.calibrationId,
      framework: framework(),
      raterId: trainer.id,
      scores: REFERENCE,
    });
    expect(two).toMatchObject({ ok: true, status: { passed: 1, calibrated: false }, newlyCalibrated: false });
    expect(await isCalibrated(db, trainer.id, framework())).toBe(false);
  });

  it("a moderator withdraws a rater's calibration: audited; only attempts made since count towards it again", async () => {
    const moderator = await makeUser(["MODERATOR"]);
    const db = getDb();
    const [a, b, c, d] = [
      await calibrationRecording(moderator.id),
      await calibrationRecording(moderator.id),
      await calibrationRecording(moderator.id),
      await calibrationRecording(moderator.id),
    ];
    const trainer = await makeUser(["TRAINER"]);
    const attempt = (calibrationId: string, now: Date) =>
      submitCalibrationAttempt(db, { calibrationId, framework: framework(), raterId: trainer.id, scores: REFERENCE, now });
    await attempt(a.calibrationId, new Date("2026-06-01T10:00:00Z"));
    expect(await attempt(b.calibrationId, new Date("2026-06-02T10:00:00Z"))).toMatchObject({ newlyCalibrated: true });

    // Through the moderators' page.
    const cookie = await cookieFor(moderator.id);
    const out = await callAction(managePage.action, {
      path: "/calibration/manage",
      cookie,
      form: { intent: "withdraw-qualification", raterId: trainer.id },
    });
    expect(out.status).toBe(302);
    expect(await isCalibrated(db, trainer.id, framework())).toBe(false);
    expect(
      await db.auditEvent.count({ where: { type: "rating.rater-calibration-withdrawn", subjectId: trainer.id, actorId: moderator.id } }),
    ).toBe(1);
    const again = await callAction(managePage.action, {
      path: "/calibration/manage",
      cookie,
      form: { intent: "withdraw-qualification", raterId: trainer.id },
    });
    expect(again.status).toBe(409);
    // The two earlier passes no longer count.
    expect((await calibrationFor(db, trainer.id, framework())).status).toEqual({ calibrated: false, passed: 0, required: 2 });
    const later = new Date(Date.now() + 60_000);
    expect(await attempt(c.calibrationId, later)).toMatchObject({ status: { passed: 1, calibrated: false }, newlyCalibrated: false });
    expect(await attempt(d.calibrationId, new Date(later.getTime() + 1000))).toMatchObject({ newlyCalibrated: true });
    expect(await isCalibrated(db, trainer.id, framework())).toBe(true);
    expect((await db.raterQualification.findFirstOrThrow({ where: { raterId: trainer.id } })).calibratedAt.getTime()).toBeGreaterThan(
      Date.now(),
    );
    // A trainer cannot withdraw anyone's calibration.
    const trainerCookie = await cookieFor(trainer.id);
    const refused = await callAction(managePage.action, {
      path: "/calibration/manage",
      cookie: trainerCookie,
      form: { intent: "withdraw-qualification", raterId: trainer.id },
    });
    expect(refused.status).toBe(403);
    expect(await isCalibrated(db, trainer.id, framework())).toBe(true);
  });
});

describe("calibration pages", () => {
  it("a trainer starts, gets field errors, submits, and sees the result and the status", async () => {
    const c = await calibrationRecording();
    const trainer = await makeUser(["TRAINER"]);
    const cookie = await cookieFor(trainer.id);
    const params = { calibrationId: c.calibrationId };
    const path = `/calibration/${c.calibrationId}`;

    const page = await callLoader(attemptPage.loader, { path, params, cookie });
    expect(page.data).toMatchObject({ ready: true, started: false, attempt: null });

    const started = await callAction(attemptPage.action, { path, params, cookie, form: { intent: "start" } });
    expect(started.status).toBe(302);
    expect(await getDb().ratingAssignment.count({ where: { raterId: trainer.id, purpose: "CALIBRATION", withdrawnAt: null } })).toBe(1);
    expect((await callLoader(attemptPage.loader, { path, params, cookie })).data).toMatchObject({ started: true });

    const missing = await callAction(attemptPage.action, {
      path,
      params,
      cookie,
      form: { intent: "submit", "score.engagement-alliance": "4" },
    });
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({ errors: { "formulating-ipaf": "Score this item." } });
    const bad = await callAction(attemptPage.action, {
      path,
      params,
      cookie,
      form: { intent: "submit", "score.engagement-alliance": "four", "score.formulating-ipaf": "3" },
    });
    expect(bad.status).toBe(400);

    const done = await callAction(attemptPage.action, {
      path,
      params,
      cookie,
      form: { intent: "submit", "score.engagement-alliance": "4", "score.formulating-ipaf": "3" },
    });
    expect(done.status).toBe(302);
    // The started assignment carries the rating: one assignment, one rating.
    expect(await getDb().ratingAssignment.count({ where: { raterId: trainer.id, purpose: "CALIBRATION" } })).toBe(1);
    const after = await callLoader(attemptPage.loader, { path, params, cookie });
    expect(after.data).toMatchObject({ attempt: { passed: true, agreement: 100, competenceAgrees: true } });
    expect((after.data as { comparison: unknown[] }).comparison).toEqual([
      { id: "engagement-alliance", title: "Engagement and alliance", yours: 4, reference: 4, within: true },
      { id: "formulating-ipaf", title: "Formulating and agreeing the IPAF", yours: 3, reference: 3, within: true },
    ]);
    const status = await callLoader(dashboard.loader, { path: "/calibration", cookie });
    expect(status.data).toMatchObject({ status: { passed: 1, required: 2, calibrated: false } });

    const twice = await callAction(attemptPage.action, {
      path,
      params,
      cookie,
      form: { intent: "submit", "score.engagement-alliance": "4", "score.formulating-ipaf": "3" },
    });
    expect(twice.status).toBe(409);
  });

  it("hides withdrawn material and unknown ids (404)", async () => {
    const c = await calibrationRecording();
    const trainer = await makeUser(["TRAINER"]);
    const cookie = await cookieFor(trainer.id);
    const moderatorCookie = await cookieFor(c.moderator);
    const out = await callAction(managePage.action, {
      path: "/calibration/manage",
      cookie: moderatorCookie,
      form: { intent: "withdraw", calibrationId: c.calibrationId },
    });
    expect(out.status).toBe(302);
    expect((await callLoader(attemptPage.loader, { path: "/x", params: { calibrationId: c.calibrationId }, cookie })).status).toBe(404);
    expect((await callLoader(attemptPage.loader, { path: "/x", params: { calibrationId: "nope" }, cookie })).status).toBe(404);
  });

  it("a moderator marks a recording and records its reference through the pages", async () => {
    const moderator = await makeUser(["MODERATOR"]);
    const cookie = await cookieFor(moderator.id);
    const recordingId = await readyRecordingRow(await traineeWithSession());
    const list = await callLoader(managePage.loader, { path: "/calibration/manage", cookie });
    expect((list.data as { markable: { recordingId: string }[] }).markable.map((m) => m.recordingId)).toContain(recordingId);
    const marked = await callAction(managePage.action, { path: "/calibration/manage", cookie, form: { intent: "mark", recordingId } });
    expect(marked.status).toBe(302);
    const calibrationId = (marked.headers.get("Location") ?? "").split("/").pop() as string;
    const bad = await callAction(managePage.action, { path: "/calibration/manage", cookie, form: { intent: "mark" } });
    expect(bad.status).toBe(400);

    const params = { calibrationId };
    const incomplete = await callAction(referencePage.action, { path: "/x", params, cookie, form: { "score.engagement-alliance": "5" } });
    expect(incomplete.status).toBe(400);
    const saved = await callAction(referencePage.action, {
      path: "/x",
      params,
      cookie,
      form: { "score.engagement-alliance": "5", "score.formulating-ipaf": "4" },
    });
    expect(saved.status).toBe(302);
    const shown = await callLoader(referencePage.loader, { path: "/x", params, cookie });
    expect(shown.data).toMatchObject({ reference: { mean: 4.5, competent: true } });
    const again = await callAction(referencePage.action, {
      path: "/x",
      params,
      cookie,
      form: { "score.engagement-alliance": "1", "score.formulating-ipaf": "1" },
    });
    expect(again.status).toBe(409);
  });
});
