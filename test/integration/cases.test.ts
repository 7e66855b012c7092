import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import * as home from "#app/routes/_index";
import * as caseList from "#app/routes/cases._index";
import * as caseDetail from "#app/routes/cases.$caseId";
import * as newCase from "#app/routes/cases.new";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";

type CaseData = Awaited<ReturnType<typeof caseDetail.loader>>;

async function people() {
  const trainee = await makeUser(["TRAINEE"], { name: "Tia Trainee" });
  const supervisor = await makeUser(["TRAINER"], { name: "Sam Supervisor" });
  return { trainee, supervisor, traineeCookie: await cookieFor(trainee.id), supervisorCookie: await cookieFor(supervisor.id) };
}

async function registerCase(cookie: string, supervisorId: string, clientCode = `C-${Math.floor(Math.random() * 9000 + 1000)}`) {
  const out = await callAction(newCase.action, {
    path: "/cases/new",
    cookie,
    form: { clientCode, startedOn: "2026-09-01", supervisorId },
  });
  expect(out.status).toBe(302);
  return (out.headers.get("Location") as string).split("/").pop() as string;
}

const post = (caseId: string, cookie: string, form: Record<string, string>) =>
  callAction(caseDetail.action, { path: `/cases/${caseId}`, params: { caseId }, cookie, form });
const view = (caseId: string, cookie: string) => callLoader(caseDetail.loader, { path: `/cases/${caseId}`, params: { caseId }, cookie });

describe("training cases", () => {
  it("a trainee registers a case with their cohort supervisor chosen by default", async () => {
    const { trainee, supervisor, traineeCookie } = await people();
    const db = getDb();
    const cohort = await db.cohort.create({ data: { name: `Cases ${Math.random()}`, startsOn: new Date("2026-09-01") } });
    await db.cohortMember.create({ data: { cohortId: cohort.id, userId: trainee.id, role: "TRAINEE", supervisorId: supervisor.id } });
    const form = await callLoader(newCase.loader, { path: "/cases/new", cookie: traineeCookie });
    expect((form.data as { defaultId: string }).defaultId).toBe(supervisor.id);

    const caseId = await registerCase(traineeCookie, supervisor.id, "c-2201");
    const row = await db.trainingCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(row).toMatchObject({ traineeId: trainee.id, supervisorId: supervisor.id, clientCode: "C-2201", status: "OPEN" });
    const audit = await db.auditEvent.findFirst({ where: { type: "case.created", subjectId: caseId } });
    expect(audit?.actorId).toBe(trainee.id);
  });

  it("refuses identifying codes, a duplicate code and a supervisor who is not a trainer, writing nothing", async () => {
    const { trainee, supervisor, traineeCookie } = await people();
    const db = getDb();
    const attempt = (form: Record<string, string>) =>
      callAction(newCase.action, {
        path: "/cases/new",
        cookie: traineeCookie,
        form: { startedOn: "2026-09-01", supervisorId: supervisor.id, ...form },
      });
    const dob = await attempt({ clientCode: "JS-120385" });
    expect(dob.status).toBe(400);
    expect((dob.data as { errors: Record<string, string> }).errors.clientCode).toMatch(/date of birth/);
    expect((await attempt({ clientCode: "JS" })).status).toBe(400);
    await registerCase(traineeCookie, supervisor.id, "C-3301");
    const duplicate = await attempt({ clientCode: "c-3301" });
    expect(duplicate.status).toBe(409);
    const notTrainer = await makeUser(["TRAINEE"]);
    const bad = await attempt({ clientCode: "C-3302", supervisorId: notTrainer.id });
    expect(bad.status).toBe(400);
    const self = await attempt({ clientCode: "C-3303", supervisorId: trainee.id });
    expect(self.status).toBe(400);
    expect(await db.trainingCase.count({ where: { traineeId: trainee.id } })).toBe(1);
  });

  it("records sessions with phases and outcome totals; bad input is refused field by field", async () => {
    const { supervisor, traineeCookie } = await people();
    const caseId = await registerCase(traineeCookie, supervisor.id);
    expect(
      (await post(caseId, traineeCookie, { intent: "session", number: "1", heldOn: "2026-09-01", phq9: "16", gad7: "11" })).status,
    ).toBe(302);
    expect((await post(caseId, traineeCookie, { intent: "session", number: "5", heldOn: "2026-09-29", phq9: "12", gad7: "" })).status).toBe(
      302,
    );
    expect(
      (await post(caseId, traineeCookie, { intent: "session", number: "14", heldOn: "2026-11-30", phq9: "7", gad7: "5" })).status,
    ).toBe(302);
    // Correcting session 5.
    expect(
      (await post(caseId, traineeCookie, { intent: "session", number: "5", heldOn: "2026-09-29", phq9: "11", gad7: "9" })).status,
    ).toBe(302);
    const bad = await post(caseId, traineeCookie, { intent: "session", number: "17", heldOn: "2026-08-01", phq9: "30", gad7: "x" });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { errors: object }).errors).sort()).toEqual(["gad7", "heldOn", "number", "phq9"]);

    const data = (await view(caseId, traineeCookie)).data as CaseData;
    expect(data.sessions).toEqual([
      expect.objectContaining({ number: 1, phase: "Initial", heldOn: "2026-09-01", phq9: 16, gad7: 11 }),
      expect.objectContaining({ number: 5, phase: "Middle", phq9: 11, gad7: 9 }),
      expect.objectContaining({ number: 14, phase: "Ending", phq9: 7, gad7: 5 }),
    ]);
    expect(data.nextNumber).toBe(2);
    expect(data.outcomes).toEqual([
      "Sessions 1 to 14: PHQ-9 16 → 7, GAD-7 11 → 5.",
      "A case at the first measurement (PHQ-9 ≥ 10 or GAD-7 ≥ 8).",
      "Reliable recovery so far.",
    ]);
  });

  it("supervision counts once the supervisor confirms; the trainee cannot confirm their own", async () => {
    const { supervisor, traineeCookie, supervisorCookie } = await people();
    const caseId = await registerCase(traineeCookie, supervisor.id);
    await post(caseId, traineeCookie, { intent: "supervision", heldOn: "2026-09-08", minutes: "60", notes: "Initial formulation" });
    await post(caseId, traineeCookie, { intent: "supervision", heldOn: "2026-09-15", minutes: "50" });
    const [first, second] = await getDb().supervisionEntry.findMany({ where: { caseId }, orderBy: { heldOn: "asc" } });
    if (!first || !second) throw new Error("entries not logged");
    const waiting = await callLoader(home.loader, { path: "/", cookie: supervisorCookie });
    expect((waiting.data as { toReview: unknown[] }).toReview).toEqual([
      { id: caseId, clientCode: expect.any(String), trainee: "Tia Trainee", pending: 2 },
    ]);

    const ownReview = await post(caseId, traineeCookie, { intent: "review", entryId: first.id, decision: "CONFIRMED" });
    expect(ownReview.status).toBe(404);
    expect((await post(caseId, supervisorCookie, { intent: "review", entryId: first.id, decision: "CONFIRMED" })).status).toBe(302);
    const noNote = await post(caseId, supervisorCookie, { intent: "review", entryId: second.id, decision: "QUERIED" });
    expect(noNote.status).toBe(400);
    expect(
      (await post(caseId, supervisorCookie, { intent: "review", entryId: second.id, decision: "QUERIED", reviewNote: "Date?" })).status,
    ).toBe(302);
    // A confirmed entry is final.
    expect(
      (await post(caseId, supervisorCookie, { intent: "review", entryId: first.id, decision: "QUERIED", reviewNote: "x" })).status,
    ).toBe(409);
    // The supervisor cannot log supervision or sessions in the trainee's name.
    expect((await post(caseId, supervisorCookie, { intent: "supervision", heldOn: "2026-09-22", minutes: "60" })).status).toBe(404);

    type Home = { toReview: { id: string; pending: number }[]; supervision: { confirmed: string } | null };
    const supervisorHome = (await callLoader(home.loader, { path: "/", cookie: supervisorCookie })).data as Home;
    expect(supervisorHome.toReview).toEqual([]);
    const traineeHome = (await callLoader(home.loader, { path: "/", cookie: traineeCookie })).data as Home;
    expect(traineeHome.supervision).toEqual({ confirmed: "1 h" });

    const data = (await view(caseId, supervisorCookie)).data as CaseData;
    expect(data.totals).toEqual({ confirmed: "1 h", pending: "0 min", queried: "50 min" });
    expect(data.canReview).toBe(true);
    expect(data.canRecord).toBe(false);
    const events = await getDb().auditEvent.findMany({ where: { subjectId: { in: [first.id, second.id] } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["supervision.confirmed", "supervision.queried"]);
  });

  it("consent is attested with a scope and can be withdrawn; an ended case takes no more sessions", async () => {
    const { supervisor, traineeCookie } = await people();
    const caseId = await registerCase(traineeCookie, supervisor.id);
    const unconfirmed = await post(caseId, traineeCookie, {
      intent: "consent",
      consentOn: "2026-09-01",
      method: "WRITTEN_FORM",
      forAssessment: "on",
    });
    expect(unconfirmed.status).toBe(400);
    expect(await getDb().consentAttestation.count({ where: { caseId } })).toBe(0);
    const ok = await post(caseId, traineeCookie, {
      intent: "consent",
      consentOn: "2026-09-01",
      method: "WRITTEN_FORM",
      forAssessment: "on",
      confirm: "on",
    });
    expect(ok.status).toBe(302);
    expect(((await view(caseId, traineeCookie)).data as CaseData).consentForAssessment).toBe(true);
    const consent = await getDb().consentAttestation.findFirstOrThrow({ where: { caseId } });
    expect((await post(caseId, traineeCookie, { intent: "withdraw-consent", consentId: consent.id })).status).toBe(302);
    expect((await post(caseId, traineeCookie, { intent: "withdraw-consent", consentId: consent.id })).status).toBe(409);
    expect(((await view(caseId, traineeCookie)).data as CaseData).consentForAssessment).toBe(false);

    expect((await post(caseId, traineeCookie, { intent: "status", status: "ENDED" })).status).toBe(302);
    expect((await post(caseId, traineeCookie, { intent: "status", status: "WITHDRAWN" })).status).toBe(409);
    const late = await post(caseId, traineeCookie, { intent: "session", number: "2", heldOn: "2026-09-08" });
    expect(late.status).toBe(409);
    expect(await getDb().caseSession.count({ where: { caseId } })).toBe(0);
    expect((await post(caseId, traineeCookie, { intent: "nonsense" })).status).toBe(400);
  });

  it("only the trainee, their supervisor and admins see a case; everyone else gets 404 or 403 and changes nothing", async () => {
    const { supervisor, traineeCookie } = await people();
    const caseId = await registerCase(traineeCookie, supervisor.id);
    await post(caseId, traineeCookie, { intent: "supervision", heldOn: "2026-09-08", minutes: "60" });
    const entry = await getDb().supervisionEntry.findFirstOrThrow({ where: { caseId } });

    const admin = await makeUser(["ADMIN"]);
    const adminView = await view(caseId, await cookieFor(admin.id));
    expect(adminView.status).toBe(200);
    expect((adminView.data as CaseData).canRecord).toBe(false);

    const outsiders = {
      otherTrainee: await makeUser(["TRAINEE"]),
      otherTrainer: await makeUser(["TRAINER"]),
      moderator: await makeUser(["MODERATOR"]),
      accreditor: await makeUser(["ACCREDITOR"]),
    };
    for (const [who, user] of Object.entries(outsiders)) {
      const cookie = await cookieFor(user.id);
      const expected = who === "otherTrainee" || who === "otherTrainer" ? 404 : 403;
      expect((await view(caseId, cookie)).status, who).toBe(expected);
      const forms: Record<string, string>[] = [
        { intent: "session", number: "2", heldOn: "2026-09-08" },
        { intent: "review", entryId: entry.id, decision: "CONFIRMED" },
        { intent: "status", status: "WITHDRAWN" },
      ];
      for (const form of forms) {
        expect((await post(caseId, cookie, form)).status, `${who} ${form.intent}`).toBe(expected);
      }
      const list = await callLoader(caseList.loader, { path: "/cases", cookie });
      // Trainers and trainees may list cases (their own only); other roles may not list at all.
      expect(list.status, `${who} list`).toBe(expected === 404 ? 200 : 403);
      const listed = (list.data as { cases?: { id: string }[] }).cases ?? [];
      expect(listed.map((c) => c.id)).not.toContain(caseId);
    }
    const row = await getDb().trainingCase.findUniqueOrThrow({ where: { id: caseId }, include: { sessions: true, supervision: true } });
    expect(row.status).toBe("OPEN");
    expect(row.sessions).toEqual([]);
    expect(row.supervision.map((s) => s.status)).toEqual(["PENDING"]);
    expect((await view("no-such-case", traineeCookie)).status).toBe(404);
  });

  it("a trainee's case evidence cannot be deleted with the person", async () => {
    const { trainee, supervisor, traineeCookie } = await people();
    const caseId = await registerCase(traineeCookie, supervisor.id);
    await post(caseId, traineeCookie, { intent: "session", number: "1", heldOn: "2026-09-01", phq9: "15" });
    await expect(getDb().user.delete({ where: { id: trainee.id } })).rejects.toThrow();
    await expect(getDb().user.delete({ where: { id: supervisor.id } })).rejects.toThrow();
    expect(await getDb().caseSession.count({ where: { caseId } })).toBe(1);
  });
});
