import { describe, expect, it } from "vitest";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { countQueries } from "#app/db-metrics.server";
import { addCohortMember, createCohort } from "#app/models/cohort.server";
import { recordQuizPassed } from "#app/models/progress.server";
import * as home from "#app/routes/_index";
import * as progressPage from "#app/routes/cohorts.$cohortId.progress";
import * as progressCsv from "#app/routes/cohorts.$cohortId.progress[.csv]";
import * as glossary from "#app/routes/glossary";
import * as journal from "#app/routes/journal";
import * as overview from "#app/routes/modules._index";
import * as modulePage from "#app/routes/modules.$slug";
import * as search from "#app/routes/modules.search";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import { FIXTURE } from "../support/fixture-course";

type Overview = {
  modules: { id: string; slug: string; state: { status: string; updatedSinceCompleted: boolean } }[];
  next: { slug: string } | null;
  done: number;
};
type Page = {
  id: string;
  title: string;
  state: { status: string };
  blocker: string | null;
  toc: { id: string }[];
  segments: { type: string; id?: string; answer?: string; html?: string }[];
  next: { slug: string } | null;
};

// Runs on the fixture course (test/fixtures/content), never on the real one: these tests are about the code.
const { first, second, third } = FIXTURE;

/** Module quizzes gate completion; these tests are about modules, so the quiz is recorded as passed directly. */
async function passQuiz(userId: string, moduleId: string) {
  await recordQuizPassed(getDb(), { userId, moduleId, version: 1 });
}

const complete = (cookie: string, slug: string) =>
  callAction(modulePage.action, { path: `/modules/${slug}`, params: { slug }, cookie, form: { intent: "complete" } });
const view = (cookie: string, slug: string) => callLoader(modulePage.loader, { path: `/modules/${slug}`, params: { slug }, cookie });

describe("course modules", () => {
  it("lists the course with each module's state and where to continue", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const before = (await callLoader(overview.loader, { path: "/modules", cookie })).data as Overview;
    expect(before.modules.map((m) => m.slug)).toEqual([first.slug, second.slug, third.slug]);
    expect(before.modules[0]?.state.status).toBe("not-started");
    expect(before.modules[1]?.state.status).toBe("locked");
    expect(before.next?.slug).toBe(first.slug);

    await view(cookie, first.slug);
    const after = (await callLoader(overview.loader, { path: "/modules", cookie })).data as Overview;
    expect(after.modules[0]?.state.status).toBe("in-progress");
  });

  it("renders a module page with table of contents, prose and reflection slots; unknown slugs are 404", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const page = (await view(cookie, first.slug)).data as Page;
    expect(page.title).toBe("Fixture module one");
    expect(page.toc.map((t) => t.id)).toEqual(["first-heading", "second-heading", "summary"]);
    expect(page.segments.map((s) => s.type)).toEqual(["html", "reflection", "html", "quiz", "html"]);
    expect(page.segments.some((s) => s.type === "reflection" && s.answer === "")).toBe(true);
    expect(page.segments.find((s) => s.type === "html")?.html).toContain("<p>");
    expect((await view(cookie, "no-such-module")).status).toBe(404);
  });

  it("completes modules only in order, and progress is stored with the version", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const early = await complete(cookie, second.slug);
    expect(early.status).toBe(409);
    expect(early.data).toMatchObject({ errors: { form: expect.stringMatching(/modules before this one/) } });
    const noQuiz = await complete(cookie, first.slug);
    expect(noQuiz.status).toBe(409);
    expect(noQuiz.data).toMatchObject({
      errors: { form: expect.stringMatching(/Submit this module's quiz with every question answered first/) },
    });
    await passQuiz(trainee.id, first.id);
    expect((await complete(cookie, first.slug)).status).toBe(302);
    // The second module has no quiz: its prerequisite is enough.
    expect((await complete(cookie, second.slug)).status).toBe(302);
    const rows = await getDb().moduleProgress.findMany({ where: { userId: trainee.id }, orderBy: { moduleId: "asc" } });
    expect(rows.map((r) => [r.moduleId, r.completedVersion])).toEqual([
      [first.id, 1],
      [second.id, 1],
    ]);
    const o = (await callLoader(overview.loader, { path: "/modules", cookie })).data as Overview;
    expect(o.done).toBe(2);
    expect(o.next?.slug).toBe(third.slug);
    // The trainee's home page says the same.
    const homeData = (await callLoader(home.loader, { path: "/", cookie })).data as { course: { done: number; next: { slug: string } } };
    expect(homeData.course).toMatchObject({ done: 2, total: FIXTURE.modules, next: { slug: third.slug } });
  });

  it("shows 'updated since you completed it' when the module's version moves on", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    await passQuiz(trainee.id, first.id);
    await complete(cookie, first.slug);
    await getDb().moduleProgress.updateMany({ where: { userId: trainee.id }, data: { completedVersion: 0 } });
    const o = (await callLoader(overview.loader, { path: "/modules", cookie })).data as Overview;
    expect(o.modules[0]?.state).toMatchObject({ status: "completed", updatedSinceCompleted: true });
    await complete(cookie, first.slug);
    const again = (await callLoader(overview.loader, { path: "/modules", cookie })).data as Overview;
    expect(again.modules[0]?.state.updatedSinceCompleted).toBe(false);
  });

  it("serves a module page with at most 3 database queries", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    await getCurriculum();
    await view(cookie, first.slug); // first view writes "started"
    const { result, queries } = await countQueries(() => view(cookie, first.slug));
    expect(result.status).toBe(200);
    expect(queries).toBeLessThanOrEqual(3);
  });

  it("searches headings and text across modules", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const out = await callLoader(search.loader, { path: `/modules/search?q=${FIXTURE.searchWord}`, cookie: await cookieFor(trainee.id) });
    const hits = (out.data as { hits: { href: string; heading: string }[] }).hits;
    expect(hits.map((h) => [h.href, h.heading])).toEqual([[`/modules/${first.slug}#first-heading`, "First heading"]]);
    const none = await callLoader(search.loader, { path: "/modules/search?q=zzzxqy", cookie: await cookieFor(trainee.id) });
    expect((none.data as { hits: unknown[] }).hits).toEqual([]);
  });

  it("shows the glossary", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const out = await callLoader(glossary.loader, { path: "/glossary", cookie: await cookieFor(trainee.id) });
    expect((out.data as { entries: { key: string }[] }).entries.map((e) => e.key)).toEqual([FIXTURE.glossaryKey]);
  });
});

describe("the reflection journal is private", () => {
  it("saves, shows and clears a trainee's answer; nobody else sees it", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const page = (await view(cookie, first.slug)).data as Page;
    const promptId = page.segments.find((s) => s.type === "reflection")?.id as string;
    expect(promptId).toBe(first.reflection);
    const form = { intent: "reflection", promptId, text: "When she went quiet I wanted to rescue her." };
    const saved = await callAction(modulePage.action, { path: `/modules/${first.slug}`, params: { slug: first.slug }, cookie, form });
    expect(saved.data).toMatchObject({ saved: "saved", promptId });
    const mine = (await view(cookie, first.slug)).data as Page;
    expect(mine.segments.find((s) => s.id === promptId)?.answer).toBe(form.text);
    const myJournal = await callLoader(journal.loader, { path: "/journal", cookie });
    expect(JSON.stringify(myJournal.data)).toContain("rescue her");

    // A trainer, an admin and another trainee see nothing of it, anywhere.
    for (const roles of [["TRAINER"], ["ADMIN"], ["TRAINEE"]] as const) {
      const other = await makeUser([...roles]);
      const otherCookie = await cookieFor(other.id);
      const theirPage = (await view(otherCookie, first.slug)).data as Page;
      expect(theirPage.segments.find((s) => s.id === promptId)?.answer).toBe("");
      const theirJournal = await callLoader(journal.loader, { path: "/journal", cookie: otherCookie });
      expect(JSON.stringify(theirJournal.data)).not.toContain("rescue her");
      // Writing to the same prompt creates their own entry, never touching hers.
      await callAction(modulePage.action, {
        path: "/x",
        params: { slug: first.slug },
        cookie: otherCookie,
        form: { ...form, text: "mine" },
      });
    }
    const row = await getDb().journalEntry.findFirst({ where: { userId: trainee.id, promptId } });
    expect(row?.text).toBe(form.text);

    const cleared = await callAction(modulePage.action, {
      path: "/x",
      params: { slug: first.slug },
      cookie,
      form: { ...form, text: "  " },
    });
    expect(cleared.data).toMatchObject({ saved: "removed" });
    expect(await getDb().journalEntry.count({ where: { userId: trainee.id } })).toBe(0);
  });

  it("refuses prompts from other modules and over-long answers", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const wrong = await callAction(modulePage.action, {
      path: "/x",
      params: { slug: first.slug },
      cookie,
      form: { intent: "reflection", promptId: second.reflection, text: "x" },
    });
    expect(wrong.status).toBe(400);
    const long = await callAction(modulePage.action, {
      path: "/x",
      params: { slug: first.slug },
      cookie,
      form: { intent: "reflection", promptId: first.reflection, text: "x".repeat(10_001) },
    });
    expect(long.status).toBe(400);
    expect(long.data).toMatchObject({ errors: { text: expect.stringMatching(/under 10,000/) } });
    expect(await getDb().journalEntry.count({ where: { userId: trainee.id } })).toBe(0);
  });
});

describe("cohort progress", () => {
  async function cohortWithTrainees() {
    const admin = await makeUser(["ADMIN"]);
    const trainer = await makeUser(["TRAINER"], { name: "Grid Trainer" });
    const t1 = await makeUser(["TRAINEE"], { name: "Alpha Trainee" });
    const t2 = await makeUser(["TRAINEE"], { name: "=Beta, Trainee" });
    const db = getDb();
    const cohort = await createCohort(db, { name: `Grid ${Math.random()}`, startsOn: new Date(), endsOn: null, by: admin.id });
    if (!cohort.ok) throw new Error("cohort");
    await addCohortMember(db, { cohortId: cohort.id, userId: trainer.id, role: "TRAINER", supervisorId: null, by: admin.id });
    for (const t of [t1, t2])
      await addCohortMember(db, { cohortId: cohort.id, userId: t.id, role: "TRAINEE", supervisorId: trainer.id, by: admin.id });
    await passQuiz(t1.id, first.id);
    await complete(await cookieFor(t1.id), first.slug);
    await view(await cookieFor(t2.id), first.slug);
    return { admin, trainer, t1, t2, cohortId: cohort.id };
  }

  it("shows the cohort's trainers and admins a trainee × module grid", async () => {
    const { trainer, admin, cohortId } = await cohortWithTrainees();
    for (const who of [trainer, admin]) {
      const out = await callLoader(progressPage.loader, { path: "/x", params: { cohortId }, cookie: await cookieFor(who.id) });
      expect(out.status).toBe(200);
      const grid = out.data as { modules: unknown[]; rows: { name: string; completed: number; cells: { status: string }[] }[] };
      expect(grid.modules).toHaveLength(FIXTURE.modules);
      expect(grid.rows.map((r) => [r.name, r.completed, r.cells[0]?.status, r.cells[1]?.status])).toEqual([
        ["=Beta, Trainee", 0, "in-progress", "locked"],
        ["Alpha Trainee", 1, "completed", "not-started"],
      ]);
    }
  });

  it("exports the grid as CSV, safely quoted", async () => {
    const { trainer, cohortId } = await cohortWithTrainees();
    const out = await callLoader(progressCsv.loader, { path: "/x", params: { cohortId }, cookie: await cookieFor(trainer.id) });
    expect(out.status).toBe(200);
    expect(out.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(out.headers.get("Content-Disposition")).toMatch(/^attachment; filename="progress-grid-/);
    const lines = String(out.data).trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("trainee,email,1. Fixture module one,2. Fixture module two,3. Fixture module three,completed");
    expect(lines[1]).toMatch(/^"'=Beta, Trainee",/);
    expect(lines[2]).toMatch(/^Alpha Trainee,.*,completed \d{4}-\d{2}-\d{2} \(v1\),not-started,/);
  });

  it("refuses trainees (403); a trainer of another cohort and an unknown cohort get 404", async () => {
    const { t1, cohortId, admin } = await cohortWithTrainees();
    const outsider = await makeUser(["TRAINER"]);
    for (const route of [progressPage, progressCsv]) {
      expect((await callLoader(route.loader, { path: "/x", params: { cohortId }, cookie: await cookieFor(t1.id) })).status).toBe(403);
      expect((await callLoader(route.loader, { path: "/x", params: { cohortId }, cookie: await cookieFor(outsider.id) })).status).toBe(404);
      expect((await callLoader(route.loader, { path: "/x", params: { cohortId: "nope" }, cookie: await cookieFor(admin.id) })).status).toBe(
        404,
      );
    }
  });
});
