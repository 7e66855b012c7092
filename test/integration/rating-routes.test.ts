// The rating pages' loaders and actions with real requests and sessions (both lanes): the rater's screen (drafts with
// and without JavaScript, comments with an m:ss time, submission and its lock), the raters page, the moderation page,
// and the final rating on the recording's page.
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import * as home from "#app/routes/_index";
import * as moderationPage from "#app/routes/moderation.$moderationId";
import * as ratingsIndex from "#app/routes/ratings._index";
import * as raterPage from "#app/routes/ratings.$assignmentId";
import * as recordingPage from "#app/routes/recordings.$recordingId";
import * as ratersPage from "#app/routes/recordings.$recordingId.raters";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import { calibratedRater, ratingScene } from "../support/rating-scene";

const EA = "engagement-alliance";
const FI = "formulating-ipaf";

const raterLoader = (assignmentId: string, cookie: string) =>
  callLoader(raterPage.loader, { path: `/ratings/${assignmentId}`, params: { assignmentId }, cookie });
const raterAction = (assignmentId: string, cookie: string, form: Record<string, string>) =>
  callAction(raterPage.action, { path: `/ratings/${assignmentId}`, params: { assignmentId }, cookie, form });

type RaterPage = {
  items: { id: string; levels: { point: number; text: string }[] }[];
  comments: { body: string; atSeconds: number }[];
  locked: boolean;
  player: { src: string } | null;
  notApplicable: string[];
  scores: Record<string, number | null>;
};

describe("the rater's screen", () => {
  it("shows the player, the applicable items with their level descriptors, and only the rater's own work", async () => {
    const s = await ratingScene();
    const out = await raterLoader(s.primaryAssignment, await cookieFor(s.primary.id));
    expect(out.status).toBe(200);
    const page = out.data as RaterPage;
    expect(page.items.map((i) => i.id)).toEqual([EA, FI]);
    expect(page.items[0]?.levels.map((l) => l.point)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(page.items[0]?.levels[3]?.text).toBe("Competent");
    expect(page.notApplicable.length).toBeGreaterThan(0);
    expect(page.player?.src).toMatch(new RegExp(`^/recordings/${s.recordingId}/media\\?g=`));
  });

  it("saves a draft without JavaScript (redirect) and from the page's script (data, the page stays)", async () => {
    const s = await ratingScene();
    const cookie = await cookieFor(s.primary.id);
    const plain = await raterAction(s.primaryAssignment, cookie, {
      intent: "save",
      [`score.${EA}`]: "4",
      [`note.${EA}`]: "Warm",
      overallFeedback: "",
    });
    expect(plain.status).toBe(302);
    expect(plain.headers.get("Location")).toBe(`/ratings/${s.primaryAssignment}?saved=draft#rating`);
    const scripted = await raterAction(s.primaryAssignment, cookie, {
      intent: "save",
      via: "script",
      [`score.${EA}`]: "5",
      [`score.${FI}`]: "",
    });
    expect(scripted.status).toBe(200);
    expect(scripted.data).toMatchObject({ intent: "save", savedAt: expect.any(String) });
    const page = (await raterLoader(s.primaryAssignment, cookie)).data as RaterPage;
    expect(page.scores).toMatchObject({ [EA]: 5, [FI]: null });
    // A score outside the scale is a field error, not a 500.
    const bad = await raterAction(s.primaryAssignment, cookie, { intent: "save", [`score.${EA}`]: "9" });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ errors: { [`score.${EA}`]: "Choose a score from 0 to 6" } });
  });

  it("adds time-stamped comments from an m:ss time (within the recording), tagged to an item or not, and deletes them while a draft", async () => {
    const s = await ratingScene();
    const cookie = await cookieFor(s.primary.id);
    const add = (at: string, extra: Record<string, string> = {}) =>
      raterAction(s.primaryAssignment, cookie, { intent: "comment", at, body: "Nice reflection", ...extra });
    expect((await add("0:45", { itemId: EA })).status).toBe(302);
    expect((await add("0:07", { via: "script" })).status).toBe(200);
    expect(await add("1:75")).toMatchObject({ status: 400, data: { errors: { at: expect.any(String) } } });
    // The fixture recording is 60 seconds long.
    expect(await add("2:00")).toMatchObject({ status: 400, data: { errors: { at: "That time is after the end of the recording" } } });
    expect(await add("0:10", { itemId: "not-an-item" })).toMatchObject({ status: 400, data: { errors: { itemId: expect.any(String) } } });
    expect(await add("0:10", { body: "  " })).toMatchObject({ status: 400, data: { errors: { body: "Write the comment" } } });
    const rows = await getDb().timedComment.findMany({ where: { recordingId: s.recordingId }, orderBy: { atSeconds: "asc" } });
    expect(rows.map((c) => [c.atSeconds, c.itemId])).toEqual([
      [7, null],
      [45, EA],
    ]);
    const del = await raterAction(s.primaryAssignment, cookie, { intent: "delete-comment", commentId: rows[0]?.id as string });
    expect(del.status).toBe(302);
    expect(await getDb().timedComment.count({ where: { recordingId: s.recordingId } })).toBe(1);
  });

  it("submits only a complete rating, then locks it: later saves and comments are refused (409) and change nothing", async () => {
    const s = await ratingScene();
    const cookie = await cookieFor(s.primary.id);
    const incomplete = await raterAction(s.primaryAssignment, cookie, { intent: "submit", [`score.${EA}`]: "4" });
    expect(incomplete).toMatchObject({ status: 400, data: { errors: { [`score.${FI}`]: "Score this item." } } });
    const done = await raterAction(s.primaryAssignment, cookie, {
      intent: "submit",
      [`score.${EA}`]: "4",
      [`score.${FI}`]: "3",
      overallFeedback: "Clear",
    });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/ratings/${s.primaryAssignment}?saved=submitted`);
    const before = await getDb().rating.findFirstOrThrow({
      where: { assignmentId: s.primaryAssignment },
      include: { scores: true, comments: true },
    });
    expect(before.status).toBe("SUBMITTED");
    expect((await raterAction(s.primaryAssignment, cookie, { intent: "save", [`score.${EA}`]: "0" })).status).toBe(409);
    expect((await raterAction(s.primaryAssignment, cookie, { intent: "submit", [`score.${EA}`]: "0", [`score.${FI}`]: "0" })).status).toBe(
      409,
    );
    expect((await raterAction(s.primaryAssignment, cookie, { intent: "comment", at: "0:01", body: "late" })).status).toBe(409);
    expect(
      await getDb().rating.findFirstOrThrow({ where: { assignmentId: s.primaryAssignment }, include: { scores: true, comments: true } }),
    ).toEqual(before);
    const page = (await raterLoader(s.primaryAssignment, cookie)).data as RaterPage & { assessmentState: string };
    expect(page).toMatchObject({ locked: true, assessmentState: "RATING" });
  });
});

describe("the raters page", () => {
  it("the case supervisor assigns raters there, with the rules' words for a refusal", async () => {
    const s = await ratingScene({ second: false });
    const cookie = await cookieFor(s.supervisor.id);
    const path = `/recordings/${s.recordingId}/raters`;
    const page = await callLoader(ratersPage.loader, { path, params: { recordingId: s.recordingId }, cookie });
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ state: "RATING", secondRaterRequired: true, openRoles: ["SECOND"] });
    const assign = (raterId: string) =>
      callAction(ratersPage.action, {
        path,
        params: { recordingId: s.recordingId },
        cookie,
        form: { intent: "assign", role: "SECOND", raterId },
      });
    const uncalibrated = await makeUser(["TRAINER"]);
    expect(await assign(uncalibrated.id)).toMatchObject({
      status: 409,
      data: { errors: { raterId: expect.stringMatching(/not calibrated/) } },
    });
    expect(await assign(s.supervisor.id)).toMatchObject({
      status: 409,
      data: { errors: { raterId: expect.stringMatching(/independent/) } },
    });
    const second = await calibratedRater();
    expect((await assign(second.id)).status).toBe(302);
    const rows = await getDb().ratingAssignment.findMany({ where: { recordingId: s.recordingId, withdrawnAt: null } });
    expect(rows.map((r) => [r.role, r.raterId, r.assignedById]).sort()).toEqual(
      [
        ["PRIMARY", s.primary.id, s.admin.id],
        ["SECOND", second.id, s.supervisor.id],
      ].sort(),
    );
  });
});

describe("moderation and the released rating", () => {
  it("a moderator sees both ratings side by side, settles with a rationale; the trainee then reads the final rating and comments", async () => {
    const s = await ratingScene();
    const primary = await cookieFor(s.primary.id);
    const second = await cookieFor(s.second.id);
    await raterAction(s.primaryAssignment, primary, { intent: "comment", at: "0:12", itemId: EA, body: "Lovely attunement here" });
    await raterAction(s.primaryAssignment, primary, {
      intent: "submit",
      [`score.${EA}`]: "6",
      [`score.${FI}`]: "5",
      overallFeedback: "Strong session",
    });
    await raterAction(s.secondAssignment as string, second, {
      intent: "submit",
      [`score.${EA}`]: "2",
      [`score.${FI}`]: "2",
      overallFeedback: "Too directive",
    });
    const moderation = await getDb().moderation.findFirstOrThrow({ where: { assessment: { recordingId: s.recordingId } } });

    const moderator = await makeUser(["MODERATOR"]);
    const mcookie = await cookieFor(moderator.id);
    const work = await callLoader(ratingsIndex.loader, { path: "/ratings", cookie: mcookie });
    expect((work.data as { toModerate: { moderationId: string }[] }).toModerate.map((m) => m.moderationId)).toContain(moderation.id);
    const homePage = await callLoader(home.loader, { path: "/", cookie: mcookie });
    expect(JSON.stringify(homePage.data)).toContain(`/moderation/${moderation.id}`);

    const params = { moderationId: moderation.id };
    const path = `/moderation/${moderation.id}`;
    const page = await callLoader(moderationPage.loader, { path, params, cookie: mcookie });
    expect(page.status).toBe(200);
    const data = page.data as {
      ratings: { scores: Record<string, number>; overallFeedback: string }[];
      reasons: { kind: string }[];
      settled: unknown;
    };
    expect(data.ratings.map((r) => [r.scores[EA], r.overallFeedback])).toEqual([
      [6, "Strong session"],
      [2, "Too directive"],
    ]);
    expect(data.reasons.map((r) => r.kind)).toContain("item-tolerance");

    const noRationale = await callAction(moderationPage.action, {
      path,
      params,
      cookie: mcookie,
      form: { intent: "settle", [`score.${EA}`]: "4", [`score.${FI}`]: "3" },
    });
    expect(noRationale).toMatchObject({ status: 400, data: { errors: { rationale: "Give the rationale for the final rating" } } });
    const settled = await callAction(moderationPage.action, {
      path,
      params,
      cookie: mcookie,
      form: {
        intent: "settle",
        [`score.${EA}`]: "4",
        [`score.${FI}`]: "3",
        rationale: "Attuned but too directive at times",
        overallFeedback: "Keep the focus",
      },
    });
    expect(settled.status).toBe(302);

    // The trainee's recording page: the final rating item by item, the rationale, the released comments.
    const traineePage = await callLoader(recordingPage.loader, {
      path: `/recordings/${s.recordingId}`,
      params: { recordingId: s.recordingId },
      cookie: s.cookie,
    });
    const view = traineePage.data as {
      ratingState: string;
      rating: {
        competent: boolean;
        rows: { itemId: string; score: number; descriptor: string }[];
        moderation: { rationale: string };
        comments: { body: string; atSeconds: number }[];
        feedback: { overall: string }[];
      };
    };
    expect(view.ratingState).toBe("FINAL");
    expect(view.rating.rows.map((r) => [r.itemId, r.score, r.descriptor])).toEqual([
      [EA, 4, "Proficient"],
      [FI, 3, "Competent"],
    ]);
    expect(view.rating.competent).toBe(true);
    expect(view.rating.moderation.rationale).toBe("Attuned but too directive at times");
    expect(view.rating.comments.map((c) => [c.atSeconds, c.body])).toEqual([[12, "Lovely attunement here"]]);
    expect(view.rating.feedback.map((f) => f.overall)).toEqual(["Strong session", "Too directive"]);
    const released = await callLoader(ratingsIndex.loader, { path: "/ratings", cookie: s.cookie });
    expect((released.data as { released: { recordingId: string }[] }).released.map((r) => r.recordingId)).toEqual([s.recordingId]);
  });

  it("before release the trainee's page says where the rating stands and nothing more", async () => {
    const s = await ratingScene();
    await raterAction(s.primaryAssignment, await cookieFor(s.primary.id), {
      intent: "submit",
      [`score.${EA}`]: "4",
      [`score.${FI}`]: "4",
      overallFeedback: "Hidden until final",
    });
    const page = await callLoader(recordingPage.loader, {
      path: `/recordings/${s.recordingId}`,
      params: { recordingId: s.recordingId },
      cookie: s.cookie,
    });
    expect(page.data).toMatchObject({ ratingState: "RATING", rating: null, rateHref: null, ratersHref: null });
    expect(JSON.stringify(page.data)).not.toContain("Hidden until final");
  });
});
