// Blindness is a server rule (docs/rating.md): until every awaited rating is submitted, no rater gets anything of
// another rater's rating — not its scores, notes, feedback, comments or id — from ANY route's loader (the JSON a
// `.data` request returns is the loader's value). Every route module is called as the second rater (who here is
// also a moderator, the widest rater role) with each plausible parameter; the primary's texts and rating id must be
// absent. Once both have submitted and the rating is final, the same walk finds the primary's feedback on the
// recording page: the check can see it when it is there.
import { describe, expect, it } from "vitest";
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { addComment, saveDraft, submitRating } from "#app/models/rating.server";
import { callLoader, cookieFor, type Outcome } from "../support/app";
import { RETENTION, rating, ratingScene } from "../support/rating-scene";

type Handler = Parameters<typeof callLoader>[0];
const found = import.meta.glob<{ loader?: Handler }>("../../app/routes/**/*.{ts,tsx}", { eager: true });
const loaders = Object.entries(found).flatMap(([file, mod]) => {
  const name = file.slice("../../app/routes/".length);
  return name.includes("/") || !mod.loader ? [] : [{ name, loader: mod.loader }];
});

/** The URL path of a flat route file with these parameter values. */
function pathOf(name: string, params: Record<string, string>): string {
  const base = name.replace(/\.(tsx|ts)$/, "");
  if (base === "$") return "/no/such/page";
  const segments = base
    .replace(/\[\.(\w+)\]/g, "~$1")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => (s.startsWith("$") ? encodeURIComponent(params[s.slice(1)] ?? "x") : s))
    .join("/")
    .replace(/~(\w+)/g, ".$1");
  return `/${segments}`;
}

/** Every combination of the route's parameters from the candidate values. */
function paramSets(name: string, candidates: Record<string, string[]>): Record<string, string>[] {
  const names = [...name.matchAll(/\$(\w+)/g)].map((m) => m[1] as string);
  let sets: Record<string, string>[] = [{}];
  for (const n of names) sets = sets.flatMap((set) => (candidates[n] ?? ["x"]).map((v) => ({ ...set, [n]: v })));
  return sets;
}

async function walk(cookie: string, candidates: Record<string, string[]>): Promise<{ route: string; out: Outcome }[]> {
  const results: { route: string; out: Outcome }[] = [];
  for (const { name, loader } of loaders) {
    for (const params of paramSets(name, candidates)) {
      const path = pathOf(name, params);
      const out = await callLoader(loader, { path, params: name === "$.tsx" ? { "*": "no/such/page" } : params, cookie });
      results.push({ route: `${name} ${path}`, out });
    }
  }
  return results;
}

const text = (out: Outcome) => (typeof out.data === "string" ? out.data : JSON.stringify(out.data));

describe("blind rating", () => {
  it("the second rater gets nothing of the primary's rating from any route until both have submitted", async () => {
    const s = await ratingScene({ secondRoles: ["TRAINER", "MODERATOR"] });
    const db = getDb();
    const framework = currentFramework();
    const tag = Math.random().toString(36).slice(2);
    const secrets = {
      note: `primary-note-${tag}`,
      feedback: `primary-feedback-${tag}`,
      comment: `primary-comment-${tag}`,
    };
    await addComment(db, { assignmentId: s.primaryAssignment, raterId: s.primary.id, atSeconds: 5, itemId: null, body: secrets.comment });
    const primaryScores = { "engagement-alliance": 6, "formulating-ipaf": 5 };
    const primaryData = rating(primaryScores, { "engagement-alliance": secrets.note }, secrets.feedback);
    await saveDraft(db, { assignmentId: s.primaryAssignment, raterId: s.primary.id, framework, data: primaryData });
    const submitted = await submitRating(db, {
      assignmentId: s.primaryAssignment,
      raterId: s.primary.id,
      framework,
      data: primaryData,
      retention: RETENTION,
    });
    expect(submitted).toMatchObject({ ok: true, state: "RATING" });
    const primaryRating = await db.rating.findFirstOrThrow({ where: { assignmentId: s.primaryAssignment } });

    const candidates = {
      recordingId: [s.recordingId],
      assignmentId: [s.secondAssignment as string, s.primaryAssignment],
      caseId: [s.caseId],
      traineeId: [s.trainee.id],
      userId: [s.primary.id, s.trainee.id],
    };
    const before = await walk(await cookieFor(s.second.id), candidates);
    expect(before.length).toBeGreaterThan(loaders.length);
    // The walk really reached the rating pages: the second rater's own screen and the recording's page.
    expect(
      before.find((r) => r.route.startsWith("ratings.$assignmentId.tsx") && r.route.includes(s.secondAssignment as string))?.out.status,
    ).toBe(200);
    expect(before.find((r) => r.route.startsWith("recordings.$recordingId.tsx"))?.out.status).toBe(200);
    for (const { route, out } of before) {
      const body = text(out);
      for (const [what, secret] of Object.entries({ ...secrets, ratingId: primaryRating.id })) {
        expect(body, `${route} shows the primary's ${what}`).not.toContain(secret);
      }
    }
    // The primary's own screen is refused outright.
    expect(before.find((r) => r.route.includes(s.primaryAssignment))?.out.status).toBe(404);

    // Symmetric: the primary sees nothing of the second rater's draft either.
    const secondNote = `second-note-${tag}`;
    await saveDraft(db, {
      assignmentId: s.secondAssignment as string,
      raterId: s.second.id,
      framework,
      data: rating({ "engagement-alliance": 5, "formulating-ipaf": 5 }, { "formulating-ipaf": secondNote }),
    });
    for (const { route, out } of await walk(await cookieFor(s.primary.id), candidates)) {
      expect(text(out), route).not.toContain(secondNote);
    }

    // Both submitted (agreeing: the rating is final): now the second rater reads the primary's feedback and comments.
    await submitRating(db, {
      assignmentId: s.secondAssignment as string,
      raterId: s.second.id,
      framework,
      data: rating({ "engagement-alliance": 5, "formulating-ipaf": 5 }, { "formulating-ipaf": secondNote }),
      retention: RETENTION,
    });
    const after = await walk(await cookieFor(s.second.id), candidates);
    const page = after.find((r) => r.route.startsWith("recordings.$recordingId.tsx"));
    expect(page?.out.status).toBe(200);
    expect(text(page?.out as Outcome)).toContain(secrets.feedback);
    expect(text(page?.out as Outcome)).toContain(secrets.comment);
  });
});
