import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import * as home from "#app/routes/_index";
import * as cohorts from "#app/routes/admin.cohorts._index";
import * as cohortDetail from "#app/routes/admin.cohorts.$cohortId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";

async function newCohort(cookie: string, name = `Cohort ${Math.random()}`) {
  const out = await callAction(cohorts.action, {
    path: "/admin/cohorts",
    cookie,
    form: { name, startsOn: "2027-01-11", endsOn: "2027-12-17" },
  });
  expect(out.status).toBe(302);
  return (out.headers.get("Location") as string).split("/").pop() as string;
}

describe("cohorts", () => {
  it("an admin creates a cohort, adds trainers and trainees with supervisors, and members see it", async () => {
    const admin = await makeUser(["ADMIN"]);
    const cookie = await cookieFor(admin.id);
    const trainer = await makeUser(["TRAINER"], { name: "Tara Trainer" });
    const trainee = await makeUser(["TRAINEE"], { name: "Tim Trainee" });
    const cohortId = await newCohort(cookie, "Spring 2027");
    const call = (form: Record<string, string>) =>
      callAction(cohortDetail.action, { path: `/admin/cohorts/${cohortId}`, params: { cohortId }, cookie, form });

    expect((await call({ intent: "add-member", userId: trainer.id, role: "TRAINER" })).status).toBe(200);
    expect((await call({ intent: "add-member", userId: trainee.id, role: "TRAINEE", supervisorId: trainer.id })).status).toBe(200);

    const traineeHome = await callLoader(home.loader, { path: "/", cookie: await cookieFor(trainee.id) });
    expect(traineeHome.data).toMatchObject({ cohorts: [{ name: "Spring 2027", role: "TRAINEE", supervisor: "Tara Trainer" }] });
    const trainerHome = await callLoader(home.loader, { path: "/", cookie: await cookieFor(trainer.id) });
    expect(trainerHome.data).toMatchObject({ supervisees: [{ name: "Tim Trainee", cohort: "Spring 2027" }] });

    // Removing the trainer leaves the trainee without a supervisor.
    const detail = await callLoader(cohortDetail.loader, { path: "/x", params: { cohortId }, cookie });
    const members = (detail.data as { cohort: { members: { id: string; role: string }[] } }).cohort.members;
    const trainerMember = members.find((m) => m.role === "TRAINER") as { id: string };
    expect((await call({ intent: "remove-member", memberId: trainerMember.id })).status).toBe(200);
    const row = await getDb().cohortMember.findFirst({ where: { cohortId, userId: trainee.id } });
    expect(row?.supervisorId).toBeNull();
  });

  it("refuses mismatched roles, duplicates and supervisors who are not trainers in the cohort", async () => {
    const admin = await makeUser(["ADMIN"]);
    const cookie = await cookieFor(admin.id);
    const trainee = await makeUser(["TRAINEE"]);
    const outsider = await makeUser(["TRAINER"]);
    const cohortId = await newCohort(cookie);
    const call = (form: Record<string, string>) => callAction(cohortDetail.action, { path: "/x", params: { cohortId }, cookie, form });
    expect((await call({ intent: "add-member", userId: trainee.id, role: "TRAINER" })).status).toBe(409);
    expect((await call({ intent: "add-member", userId: trainee.id, role: "TRAINEE", supervisorId: outsider.id })).status).toBe(409);
    expect(await getDb().cohortMember.count({ where: { cohortId } })).toBe(0);
    expect((await call({ intent: "add-member", userId: trainee.id, role: "TRAINEE" })).status).toBe(200);
    expect((await call({ intent: "add-member", userId: trainee.id, role: "TRAINEE" })).status).toBe(409);
    expect((await call({ intent: "add-member", userId: "", role: "BOSS" })).status).toBe(400);
  });

  it("validates names and dates with field messages", async () => {
    const admin = await makeUser(["ADMIN"]);
    const cookie = await cookieFor(admin.id);
    const bad = await callAction(cohorts.action, {
      path: "/admin/cohorts",
      cookie,
      form: { name: "", startsOn: "2027-13-45", endsOn: "2026-01-01" },
    });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ errors: { name: expect.any(String), startsOn: expect.any(String) } });
    const backwards = await callAction(cohorts.action, {
      path: "/admin/cohorts",
      cookie,
      form: { name: "B", startsOn: "2027-05-01", endsOn: "2027-01-01" },
    });
    expect(backwards.data).toMatchObject({ errors: { endsOn: expect.stringMatching(/before the start/) } });
    await newCohort(cookie, "Taken");
    const dup = await callAction(cohorts.action, { path: "/admin/cohorts", cookie, form: { name: "Taken", startsOn: "2027-05-01" } });
    expect(dup.status).toBe(409);
  });

  it("cohort pages are for admins only", async () => {
    const admin = await makeUser(["ADMIN"]);
    const cohortId = await newCohort(await cookieFor(admin.id));
    const trainer = await makeUser(["TRAINER"]);
    const tCookie = await cookieFor(trainer.id);
    expect((await callLoader(cohortDetail.loader, { path: "/x", params: { cohortId }, cookie: tCookie })).status).toBe(403);
    const out = await callAction(cohortDetail.action, {
      path: "/x",
      params: { cohortId },
      cookie: tCookie,
      form: { intent: "add-member", userId: trainer.id, role: "TRAINER" },
    });
    expect(out.status).toBe(403);
    expect(await getDb().cohortMember.count({ where: { cohortId } })).toBe(0);
  });
});
