import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import * as users from "#app/routes/admin.users._index";
import * as userDetail from "#app/routes/admin.users.$userId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";

async function act(adminId: string, userId: string, form: Record<string, string | string[]>) {
  return callAction(userDetail.action, { path: `/admin/users/${userId}`, params: { userId }, cookie: await cookieFor(adminId), form });
}

describe("administering people", () => {
  it("lists and searches people case-insensitively by name or email, with role and status filters", async () => {
    const admin = await makeUser(["ADMIN"]);
    await makeUser(["TRAINEE"], { name: "Zelda Quartermaine", email: "zq@example.test" });
    await makeUser(["TRAINER"], { name: "Quentin Blake", email: "qb@example.test" });
    const cookie = await cookieFor(admin.id);
    const byName = await callLoader(users.loader, { path: "/admin/users?q=QUARTER", cookie });
    expect((byName.data as { users: { name: string }[] }).users.map((u) => u.name)).toEqual(["Zelda Quartermaine"]);
    const byEmail = await callLoader(users.loader, { path: "/admin/users?q=qb@", cookie });
    expect((byEmail.data as { users: { email: string }[] }).users.map((u) => u.email)).toEqual(["qb@example.test"]);
    const trainers = await callLoader(users.loader, { path: "/admin/users?role=TRAINER&q=q", cookie });
    expect((trainers.data as { users: { name: string }[] }).users.map((u) => u.name)).toEqual(["Quentin Blake"]);
    const junk = await callLoader(users.loader, { path: "/admin/users?role=WIZARD&page=-3&status=nope", cookie });
    expect(junk.status).toBe(200);
  });

  it("changes roles, audited with before and after", async () => {
    const admin = await makeUser(["ADMIN"]);
    const user = await makeUser(["TRAINEE"]);
    const out = await act(admin.id, user.id, { intent: "roles", roles: ["TRAINER", "MODERATOR"] });
    expect(out.status).toBe(200);
    const roles = await getDb().userRole.findMany({ where: { userId: user.id } });
    expect(roles.map((r) => r.role).sort()).toEqual(["MODERATOR", "TRAINER"]);
    const event = await getDb().auditEvent.findFirst({ where: { type: "user.roles_changed", subjectId: user.id } });
    expect(JSON.parse(event?.data ?? "{}")).toEqual({ from: ["TRAINEE"], to: ["TRAINER", "MODERATOR"] });
    expect(event?.actorId).toBe(admin.id);
  });

  it("refuses an empty role set and unknown intents with 400", async () => {
    const admin = await makeUser(["ADMIN"]);
    const user = await makeUser(["TRAINEE"]);
    expect((await act(admin.id, user.id, { intent: "roles" })).status).toBe(400);
    expect((await act(admin.id, user.id, { intent: "explode" })).status).toBe(400);
    expect((await getDb().userRole.findMany({ where: { userId: user.id } })).map((r) => r.role)).toEqual(["TRAINEE"]);
  });

  it("keeps at least one active administrator and refuses self-demotion", async () => {
    const db = getDb();
    // Start from a world with exactly one admin.
    const admin = await makeUser(["ADMIN"]);
    await db.userRole.deleteMany({ where: { role: "ADMIN", userId: { not: admin.id } } });
    const self = await act(admin.id, admin.id, { intent: "roles", roles: ["TRAINER"] });
    expect(self.status).toBe(409);
    const selfOff = await act(admin.id, admin.id, { intent: "deactivate" });
    expect(selfOff.status).toBe(409);
    const other = await makeUser(["ADMIN"]);
    const demoteOther = await act(admin.id, other.id, { intent: "roles", roles: ["TRAINER"] });
    expect(demoteOther.status).toBe(200);
  });

  it("deactivates and reactivates, signing the person out", async () => {
    const admin = await makeUser(["ADMIN"]);
    const user = await makeUser(["TRAINEE"]);
    await cookieFor(user.id);
    expect((await act(admin.id, user.id, { intent: "deactivate" })).status).toBe(200);
    expect((await getDb().user.findUnique({ where: { id: user.id } }))?.status).toBe("DEACTIVATED");
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
    expect((await act(admin.id, user.id, { intent: "reactivate" })).status).toBe(200);
    expect((await getDb().user.findUnique({ where: { id: user.id } }))?.status).toBe("ACTIVE");
    const types = (await getDb().auditEvent.findMany({ where: { subjectId: user.id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["user.deactivated", "user.reactivated"]));
  });

  it("saves details and validates their length", async () => {
    const admin = await makeUser(["ADMIN"]);
    const user = await makeUser(["TRAINEE"]);
    const ok = await act(admin.id, user.id, {
      intent: "details",
      name: "Renamed Person",
      registrationBody: "HCPC",
      registrationNumber: "PYL12345",
    });
    expect(ok.status).toBe(200);
    const row = await getDb().user.findUnique({ where: { id: user.id } });
    expect(row).toMatchObject({ name: "Renamed Person", registrationBody: "HCPC", registrationNumber: "PYL12345" });
    expect(row?.searchKey).toContain("renamed person");
    const bad = await act(admin.id, user.id, { intent: "details", name: "", registrationBody: "x".repeat(101) });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ errors: { name: expect.any(String), registrationBody: expect.any(String) } });
  });

  it("answers 404 for an unknown person", async () => {
    const admin = await makeUser(["ADMIN"]);
    const out = await callLoader(userDetail.loader, {
      path: "/admin/users/nope",
      params: { userId: "nope" },
      cookie: await cookieFor(admin.id),
    });
    expect(out.status).toBe(404);
  });
});
