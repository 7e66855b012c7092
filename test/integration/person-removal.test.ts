import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { verifyAuditChain } from "#app/models/audit.server";
import { anonymisedEmail, anonymisedName, anonymisePerson } from "#app/models/person-removal.server";
import { setUserActive, updateUserDetails } from "#app/models/user.server";
import * as userDetail from "#app/routes/admin.users.$userId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import { giveEvidence, readEvidence } from "../support/evidence";

async function act(adminId: string, userId: string, form: Record<string, string>) {
  return callAction(userDetail.action, { path: `/admin/users/${userId}`, params: { userId }, cookie: await cookieFor(adminId), form });
}

/** A trainee with everything a person can have: evidence, a journal, registration, a session and a one-time link. */
async function fullTrainee(adminId: string) {
  const db = getDb();
  const trainee = await makeUser(["TRAINEE"], { name: "Ada Lovelace" });
  const trainer = await makeUser(["TRAINER"]);
  await updateUserDetails(db, {
    userId: trainee.id,
    by: adminId,
    name: "Ada Lovelace",
    registrationBody: "HCPC",
    registrationNumber: "PYL123",
  });
  const evidence = await giveEvidence(trainee.id, trainer.id);
  await db.journalEntry.create({
    data: { userId: trainee.id, moduleId: "m", promptId: `p-${randomBytes(3).toString("hex")}`, text: "My private thoughts" },
  });
  await db.accountToken.create({
    data: {
      tokenHash: randomBytes(16).toString("hex"),
      purpose: "PASSWORD_RESET",
      userId: trainee.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  await cookieFor(trainee.id);
  return { trainee, trainer, evidence };
}

describe("anonymising a person", () => {
  it("replaces what identifies them, ends their access, keeps their evidence, and is audited", async () => {
    const db = getDb();
    const admin = await makeUser(["ADMIN"]);
    const { trainee, evidence } = await fullTrainee(admin.id);

    const out = await act(admin.id, trainee.id, { intent: "anonymise", confirm: "yes" });
    expect(out.status).toBe(200);

    const row = await db.user.findUniqueOrThrow({ where: { id: trainee.id } });
    expect(row).toMatchObject({
      name: anonymisedName(trainee.id),
      email: `anonymised-${trainee.id.toLowerCase()}@attune.invalid`,
      searchKey: `${anonymisedName(trainee.id)} ${anonymisedEmail(trainee.id)}`.toLowerCase(),
      passwordHash: null,
      registrationBody: null,
      registrationNumber: null,
      status: "DEACTIVATED",
    });
    expect(row.anonymisedAt).toBeInstanceOf(Date);
    expect(row.searchKey).not.toMatch(/ada|lovelace/);
    expect(await db.session.count({ where: { userId: trainee.id } })).toBe(0);
    expect(await db.accountToken.count({ where: { userId: trainee.id } })).toBe(0);
    expect(await db.userRole.count({ where: { userId: trainee.id } })).toBe(0);
    expect(await db.journalEntry.count({ where: { userId: trainee.id } })).toBe(0);
    // Evidence: the same rows, still pointing at the same person row.
    expect(await readEvidence(evidence)).toEqual(evidence);

    const events = await db.auditEvent.findMany({ where: { type: "user.anonymised", subjectId: trainee.id } });
    expect(events.map((e) => ({ actorId: e.actorId, data: e.data }))).toEqual([{ actorId: admin.id, data: '{"roles":["TRAINEE"]}' }]);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it("asks for confirmation first, and the confirmation works without JavaScript", async () => {
    const db = getDb();
    const admin = await makeUser(["ADMIN"]);
    const trainee = await makeUser(["TRAINEE"], { name: "Grace Hopper" });
    const cookie = await cookieFor(admin.id);
    const page = await callLoader(userDetail.loader, { path: `/admin/users/${trainee.id}`, params: { userId: trainee.id }, cookie });
    expect(page.data).toMatchObject({ confirmAnonymise: false, anonymisedAt: null });
    const confirm = await callLoader(userDetail.loader, {
      path: `/admin/users/${trainee.id}?anonymise=confirm`,
      params: { userId: trainee.id },
      cookie,
    });
    expect(confirm.data).toMatchObject({ confirmAnonymise: true });

    const unconfirmed = await act(admin.id, trainee.id, { intent: "anonymise" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toEqual({ errors: { confirm: "Tick the box to confirm that this cannot be undone" } });
    expect(await db.user.findUniqueOrThrow({ where: { id: trainee.id } })).toMatchObject({ name: "Grace Hopper", anonymisedAt: null });
  });

  it("refuses oneself, a second time, and any later change to the anonymised account", async () => {
    const db = getDb();
    const admin = await makeUser(["ADMIN"]);
    const trainee = await makeUser(["TRAINEE"]);
    const self = await act(admin.id, admin.id, { intent: "anonymise", confirm: "yes" });
    expect(self).toMatchObject({ status: 409, data: { errors: { form: "You cannot anonymise yourself." } } });
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ anonymisedAt: null, status: "ACTIVE" });

    expect((await act(admin.id, trainee.id, { intent: "anonymise", confirm: "yes" })).status).toBe(200);
    expect(await anonymisePerson(db, { userId: trainee.id, by: admin.id })).toEqual({ ok: false, error: "already-anonymised" });
    const reactivate = await act(admin.id, trainee.id, { intent: "reactivate" });
    expect(reactivate).toMatchObject({ status: 409, data: { errors: { form: "This person has already been anonymised." } } });
    // The model refuses it too, whoever calls it.
    expect(await setUserActive(db, { userId: trainee.id, active: true, by: admin.id })).toEqual({ ok: false, error: "anonymised" });
    expect((await db.user.findUniqueOrThrow({ where: { id: trainee.id } })).status).toBe("DEACTIVATED");
    expect(await db.auditEvent.count({ where: { type: "user.anonymised", subjectId: trainee.id } })).toBe(1);
  });

  it("is for administrators only", async () => {
    const moderator = await makeUser(["MODERATOR"]);
    const trainee = await makeUser(["TRAINEE"]);
    expect((await act(moderator.id, trainee.id, { intent: "anonymise", confirm: "yes" })).status).toBe(403);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: trainee.id } })).anonymisedAt).toBeNull();
  });
});
