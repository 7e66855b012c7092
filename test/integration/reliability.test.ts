import { describe, expect, it } from "vitest";
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { countQueries } from "#app/db-metrics.server";
import { intraclassCorrelation } from "#app/domain/reliability";
import { markCalibrationRecording, recordReferenceRating, submitCalibrationAttempt } from "#app/models/calibration.server";
import { reliabilityRows } from "#app/models/reliability.server";
import * as profilePage from "#app/routes/competence.$traineeId";
import * as reliabilityPage from "#app/routes/reliability";
import * as csvRoute from "#app/routes/reliability[.csv]";
import { callLoader, cookieFor, makeUser } from "../support/app";
import "../support/fixture-course";
import { doubleRated, readyRecordingRow, scoresFor } from "../support/rating-rows";
import { traineeWithSession } from "../support/recording-fixtures";

// These tests share their file's database with each other: each builds its own raters and recordings and asserts
// about the rows it made (filtered by its own rater ids), never about totals of the table.

/** Three raters, a moderator, and `n` initial-phase recordings rated by pairs of them, with derived final ratings. */
async function ratedWorld(n: number) {
  const raters = [await makeUser(["TRAINER"]), await makeUser(["TRAINER"]), await makeUser(["MODERATOR", "TRAINER"])];
  const admin = await makeUser(["ADMIN"]);
  const scene = await traineeWithSession();
  const recordings: { id: string; a: number[]; b: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    const recordingId = await readyRecordingRow(scene);
    const a = [2 + (i % 4), 1 + ((i * 3) % 5)];
    const b = [a[0] as number, Math.min(6, (a[1] as number) + (i % 2))];
    const primary = raters[i % 3] as { id: string };
    const second = raters[(i + 1) % 3] as { id: string };
    await doubleRated({
      recordingId,
      session: 1,
      primary: { raterId: primary.id, scores: scoresFor(1, (k) => a[k] as number) },
      second: { raterId: second.id, scores: scoresFor(1, (k) => b[k] as number) },
      final: scoresFor(1, (k) => Math.floor(((a[k] as number) + (b[k] as number)) / 2)),
      at: new Date(Date.UTC(2026, i % 3, 5 + i)),
      assignedBy: admin.id,
    });
    recordings.push({ id: recordingId, a, b });
  }
  return { raters, admin, scene, recordings };
}

describe("reliability rows", () => {
  it("reads the provisional and final scores of one framework version in one statement, and nothing else", async () => {
    const world = await ratedWorld(4);
    const db = getDb();
    const framework = currentFramework();
    const [first] = world.recordings;
    if (!first) throw new Error("no recording");
    // Rows that must not be read: a reference and a calibration rating, a draft, a withdrawn assignment's rating,
    // and a rating of another framework version.
    const moderator = world.raters[2] as { id: string };
    const marked = await markCalibrationRecording(db, { recordingId: first.id, framework, markedById: moderator.id });
    if (!marked.ok) throw new Error(marked.problem);
    const ref = await recordReferenceRating(db, {
      calibrationId: marked.calibrationId,
      framework,
      moderatorId: moderator.id,
      scores: scoresFor(1, () => 3),
    });
    if (!ref.ok) throw new Error(ref.problem);
    const calibrating = await makeUser(["TRAINER"]);
    await submitCalibrationAttempt(db, {
      calibrationId: marked.calibrationId,
      framework,
      raterId: calibrating.id,
      scores: scoresFor(1, () => 3),
    });
    const stray = await makeUser(["TRAINER"]);
    const withdrawn = await db.ratingAssignment.create({
      data: {
        recordingId: first.id,
        raterId: stray.id,
        role: "SECOND",
        purpose: "SUMMATIVE",
        assignedById: world.admin.id,
        withdrawnAt: new Date(),
      },
    });
    for (const [assignmentId, status, version] of [
      [withdrawn.id, "SUBMITTED", framework.version],
      [null, "DRAFT", framework.version],
      [null, "SUBMITTED", framework.version + 1],
    ] as const) {
      const r = await db.rating.create({
        data: {
          assignmentId,
          recordingId: first.id,
          raterId: stray.id,
          kind: "PROVISIONAL",
          status,
          frameworkId: framework.id,
          frameworkVersion: version,
          submittedAt: status === "SUBMITTED" ? new Date() : null,
        },
      });
      await db.itemScore.create({
        data: { ratingId: r.id, recordingId: first.id, raterId: stray.id, itemId: "engagement-alliance", score: 6 },
      });
    }

    const counted = await countQueries(() => reliabilityRows(db, framework));
    expect(counted.queries).toBe(1);
    const mine = new Set(world.recordings.map((r) => r.id));
    const rows = counted.result.filter((r) => mine.has(r.recordingId));
    // 4 recordings × (2 provisional + 1 final) × 2 applicable items.
    expect(rows).toHaveLength(24);
    expect(rows.some((r) => r.raterId === stray.id || r.raterId === calibrating.id)).toBe(false);
    expect(rows.filter((r) => r.kind === "DERIVED")).toHaveLength(8);
    expect(new Set(rows.filter((r) => r.kind === "PROVISIONAL").map((r) => r.role))).toEqual(new Set(["PRIMARY", "SECOND"]));
    expect(rows.every((r) => r.submittedAt instanceof Date && !Number.isNaN(r.submittedAt.getTime()) && typeof r.score === "number")).toBe(
      true,
    );
  });
});

describe("the reliability page and its CSV", () => {
  it("shows per-item ICC from the rows, pairs and severity; the CSV streams one line per recording and item", async () => {
    const world = await ratedWorld(6);
    const moderator = world.raters[2] as { id: string };
    const cookie = await cookieFor(moderator.id);
    const out = await callLoader(reliabilityPage.loader, { path: "/reliability", cookie });
    expect(out.status).toBe(200);
    const d = out.data as {
      counts: { doubleRated: number };
      items: { id: string; n: number; icc: { value: number | null } }[];
      raters: { id: string; ratings: number }[];
      pairs: { recordings: number }[];
    };
    // The page covers every double-rated recording of the version (other tests' too): at least ours.
    expect(d.counts.doubleRated).toBeGreaterThanOrEqual(6);
    const ours = d.raters.filter((r) => world.raters.some((w) => w.id === r.id));
    expect(ours.map((r) => r.ratings)).toEqual([4, 4, 4]);
    expect(d.items.find((i) => i.id === "engagement-alliance")?.n).toBeGreaterThanOrEqual(6);

    // The same figure from a page that sees only our recordings: compare the computation on our rows alone.
    const rows = (await reliabilityRows(getDb(), currentFramework())).filter((r) => world.recordings.some((x) => x.id === r.recordingId));
    expect(rows.length).toBe(6 * 3 * 2);
    const table = world.recordings.map((r) => [r.a[1] as number, r.b[1] as number]);
    const { reliabilityReport } = await import("#app/domain/reliability-report");
    const report = reliabilityReport(currentFramework(), rows);
    expect(report.items.find((i) => i.itemId === "formulating-ipaf")?.icc.value).toBeCloseTo(intraclassCorrelation(table, "ICC1"), 12);

    const csv = await callLoader(csvRoute.loader, { path: "/reliability.csv", cookie });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toMatch(/text\/csv/);
    const lines = String(csv.data).trim().split("\r\n");
    expect(lines[0]).toBe(
      "framework,version,recording,item,primary_rater,primary_score,primary_submitted,second_rater,second_score,second_submitted,final_score,final_by",
    );
    const ourLines = lines.filter((l) => world.recordings.some((r) => l.includes(r.id)));
    expect(ourLines).toHaveLength(12);
    expect(ourLines.every((l) => l.endsWith(",rule"))).toBe(true);
    // Trainee names never appear; rater names do.
    const trainee = await getDb().user.findUniqueOrThrow({ where: { id: world.scene.trainee.id } });
    expect(String(csv.data)).not.toContain(trainee.name);
  });

  it("answers 404 for a framework version that is not loaded", async () => {
    const admin = await makeUser(["ADMIN"]);
    const cookie = await cookieFor(admin.id);
    for (const path of ["/reliability?framework=nope&version=1", "/reliability?fv=dit-competence@x"]) {
      expect((await callLoader(reliabilityPage.loader, { path, cookie })).status, path).toBe(404);
      expect((await callLoader(csvRoute.loader, { path: path.replace("/reliability", "/reliability.csv"), cookie })).status).toBe(404);
    }
    expect((await callLoader(reliabilityPage.loader, { path: "/reliability?fv=dit-competence@1", cookie })).status).toBe(200);
  });
});

describe("the competence profile", () => {
  it("shows each item across the trainee's released final ratings, in time order", async () => {
    const admin = await makeUser(["ADMIN"]);
    const [a, b] = [await makeUser(["TRAINER"]), await makeUser(["TRAINER"])];
    const scene = await traineeWithSession();
    const sessions = [1, 6, 14];
    for (const [i, session] of sessions.entries()) {
      const recordingId = await readyRecordingRow(scene, session);
      await doubleRated({
        recordingId,
        session,
        primary: { raterId: a.id, scores: scoresFor(session, () => 2 + i) },
        second: { raterId: b.id, scores: scoresFor(session, () => 2 + i) },
        final: scoresFor(session, () => 2 + i),
        at: new Date(Date.UTC(2026, 3 + i, 1)),
        assignedBy: admin.id,
        // The last one is final but not yet released: it must not show.
        released: i < 2,
      });
    }
    const out = await callLoader(profilePage.loader, { path: "/x", params: { traineeId: scene.trainee.id }, cookie: scene.cookie });
    expect(out.status).toBe(200);
    const d = out.data as {
      own: boolean;
      total: number;
      sections: { columns: { date: string; competent: boolean | null }[]; items: { id: string; scores: (number | null)[] }[] }[];
    };
    expect(d.own).toBe(true);
    expect(d.total).toBe(2);
    const section = d.sections[0];
    expect(section?.columns.map((c) => c.date)).toEqual(["2026-04-01", "2026-05-01"]);
    expect(section?.columns.map((c) => c.competent)).toEqual([false, true]);
    const byItem = Object.fromEntries(section?.items.map((i) => [i.id, i.scores]) ?? []);
    // Session 1 (initial) and session 6 (middle): each item has a point only where it applied.
    expect(byItem).toEqual({
      "engagement-alliance": [2, 3],
      "formulating-ipaf": [2, null],
      "keeping-to-ipaf": [null, 3],
      "ending-goodbye-letter": [null, null],
    });
  });
});
