import { describe, expect, it } from "vitest";
import { getUser } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { createPasswordReset, inviteUser } from "#app/models/user.server";
import * as account from "#app/routes/account";
import * as userDetail from "#app/routes/admin.users.$userId";
import * as invite from "#app/routes/admin.users.new";
import * as acceptInvitation from "#app/routes/invitations.$token";
import * as login from "#app/routes/login";
import * as resetPassword from "#app/routes/password-reset.$token";
import { callAction, callLoader, cookieFor, makeUser, PASSWORD } from "../support/app";

const NEW_PASSWORD = "a long and private phrase";

function tokenOf(link: string): string {
  return link.split("/").pop() as string;
}

async function inviteVia(adminCookie: string, form: Record<string, string | string[]>) {
  return callAction(invite.action, { path: "/admin/users/new", cookie: adminCookie, form });
}

describe("invitations", () => {
  it("an admin invites a person, who sets a password through the one-time link and is signed in", async () => {
    const admin = await makeUser(["ADMIN"]);
    const cookie = await cookieFor(admin.id);
    const result = await inviteVia(cookie, { name: "Nia New", email: " Nia.New@Example.test ", roles: ["TRAINEE", "TRAINER"] });
    expect(result.status).toBe(200);
    const invited = (result.data as { invited: { link: string; userId: string; mailed: boolean } }).invited;
    expect(invited.link).toMatch(/^http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]{43}$/);
    expect(invited.mailed).toBe(false);

    const user = await getDb().user.findUnique({ where: { id: invited.userId }, include: { roles: true } });
    expect(user?.email).toBe("nia.new@example.test");
    expect(user?.status).toBe("INVITED");
    expect(user?.passwordHash).toBeNull();
    expect(user?.roles.map((r) => r.role).sort()).toEqual(["TRAINEE", "TRAINER"]);

    const token = tokenOf(invited.link);
    const page = await callLoader(acceptInvitation.loader, { path: `/invitations/${token}`, params: { token } });
    expect(page.data).toMatchObject({ valid: true, email: "nia.new@example.test" });

    const accepted = await callAction(acceptInvitation.action, {
      path: `/invitations/${token}`,
      params: { token },
      form: { password: NEW_PASSWORD, confirm: NEW_PASSWORD },
    });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Set-Cookie")).toMatch(/^attune_session=/);
    expect((await getDb().user.findUnique({ where: { id: invited.userId } }))?.status).toBe("ACTIVE");

    // The link works once.
    const again = await callAction(acceptInvitation.action, {
      path: `/invitations/${token}`,
      params: { token },
      form: { password: "someone else's phrase", confirm: "someone else's phrase" },
    });
    expect(again.status).toBe(410);
    const gone = await callLoader(acceptInvitation.loader, { path: `/invitations/${token}`, params: { token } });
    expect(gone.status).toBe(410);

    const signIn = await callAction(login.action, { path: "/login", form: { email: "nia.new@example.test", password: NEW_PASSWORD } });
    expect(signIn.status).toBe(302);
    const audit = await getDb().auditEvent.findMany({ where: { subjectId: invited.userId }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.type)).toEqual(["user.invited", "user.invitation_accepted", "auth.login"]);
  });

  it("stores only a hash of the link's token", async () => {
    const admin = await makeUser(["ADMIN"]);
    const r = await inviteUser(getDb(), { email: "hash@example.test", name: "H", roles: ["TRAINEE"], by: admin.id, ttlHours: 1 });
    if (!r.ok) throw new Error("invite failed");
    const row = await getDb().accountToken.findFirst({ where: { userId: r.userId } });
    expect(row?.tokenHash).toHaveLength(64);
    expect(row?.tokenHash).not.toContain(r.token);
  });

  it("refuses an expired link", async () => {
    const admin = await makeUser(["ADMIN"]);
    const r = await inviteUser(getDb(), { email: "late@example.test", name: "Late", roles: ["TRAINEE"], by: admin.id, ttlHours: 1 });
    if (!r.ok) throw new Error("invite failed");
    await getDb().accountToken.updateMany({ where: { userId: r.userId }, data: { expiresAt: new Date(Date.now() - 1) } });
    const out = await callAction(acceptInvitation.action, {
      path: "/x",
      params: { token: r.token },
      form: { password: NEW_PASSWORD, confirm: NEW_PASSWORD },
    });
    expect(out.status).toBe(410);
    expect((await getDb().user.findUnique({ where: { id: r.userId } }))?.passwordHash).toBeNull();
  });

  it("a reissued invitation replaces the earlier link", async () => {
    const admin = await makeUser(["ADMIN"]);
    const cookie = await cookieFor(admin.id);
    const r = await inviteUser(getDb(), { email: "again@example.test", name: "Again", roles: ["TRAINEE"], by: admin.id, ttlHours: 1 });
    if (!r.ok) throw new Error("invite failed");
    const reissued = await callAction(userDetail.action, {
      path: `/admin/users/${r.userId}`,
      params: { userId: r.userId },
      cookie,
      form: { intent: "reissue-invitation" },
    });
    const link = (reissued.data as { link: { url: string } }).link.url;
    const old = await callLoader(acceptInvitation.loader, { path: "/x", params: { token: r.token } });
    expect(old.data).toMatchObject({ valid: false });
    const fresh = await callLoader(acceptInvitation.loader, { path: "/x", params: { token: tokenOf(link) } });
    expect(fresh.data).toMatchObject({ valid: true });
  });

  it("refuses a duplicate email and invalid input with field messages, writing nothing", async () => {
    const admin = await makeUser(["ADMIN"]);
    const existing = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(admin.id);
    const before = await getDb().user.count();
    const dup = await inviteVia(cookie, { name: "Dup", email: existing.email, roles: "TRAINEE" });
    expect(dup.status).toBe(409);
    expect(dup.data).toMatchObject({ errors: { email: expect.stringMatching(/already has an account/) } });
    const bad = await inviteVia(cookie, { name: "", email: "nope", roles: ["WIZARD"] });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ errors: { name: expect.any(String), email: expect.any(String), roles: expect.any(String) } });
    const none = await inviteVia(cookie, { name: "No Roles", email: "noroles@example.test" });
    expect(none.data).toMatchObject({ errors: { roles: "Choose at least one role" } });
    expect(await getDb().user.count()).toBe(before);
  });

  it("only an admin can invite", async () => {
    const trainer = await makeUser(["TRAINER", "MODERATOR"]);
    const out = await inviteVia(await cookieFor(trainer.id), { name: "X", email: "x@example.test", roles: "ADMIN" });
    expect(out.status).toBe(403);
    expect(await getDb().user.count({ where: { email: "x@example.test" } })).toBe(0);
  });
});

describe("password reset", () => {
  it("an admin creates a reset link; using it sets the password and ends old sessions", async () => {
    const admin = await makeUser(["ADMIN"]);
    const user = await makeUser(["TRAINEE"]);
    const userCookie = await cookieFor(user.id);
    const made = await callAction(userDetail.action, {
      path: `/admin/users/${user.id}`,
      params: { userId: user.id },
      cookie: await cookieFor(admin.id),
      form: { intent: "reset-link" },
    });
    const url = (made.data as { link: { url: string } }).link.url;
    expect(url).toMatch(/\/password-reset\//);
    const token = tokenOf(url);
    const done = await callAction(resetPassword.action, {
      path: "/x",
      params: { token },
      form: { password: NEW_PASSWORD, confirm: NEW_PASSWORD },
    });
    expect(done.status).toBe(302);
    // The browser that used the link has the only session; the older one is gone.
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(1);
    const before = await getUser({ request: new Request("http://localhost/", { headers: { Cookie: userCookie } }), context: {} as never });
    expect(before).toBeNull();
    const old = await callLoader(resetPassword.loader, { path: "/x", params: { token } });
    expect(old.status).toBe(410);
    expect((await callAction(login.action, { path: "/login", form: { email: user.email, password: PASSWORD } })).status).toBe(401);
  });

  it("an invitation link cannot be used as a reset link, nor the other way round", async () => {
    const admin = await makeUser(["ADMIN"]);
    const user = await makeUser(["TRAINEE"]);
    const token = await createPasswordReset(getDb(), { userId: user.id, by: admin.id, ttlHours: 1 });
    const asInvite = await callLoader(acceptInvitation.loader, { path: "/x", params: { token: token as string } });
    expect(asInvite.status).toBe(410);
  });

  it("an unused reset link ends when the person changes their password", async () => {
    const user = await makeUser(["TRAINEE"]);
    const token = (await createPasswordReset(getDb(), { userId: user.id, by: null, ttlHours: 2 })) as string;
    expect((await callLoader(resetPassword.loader, { path: "/x", params: { token } })).status).toBe(200);
    const changed = await callAction(account.action, {
      path: "/account",
      cookie: await cookieFor(user.id),
      form: { current: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
    });
    expect(changed.status).toBe(302);
    expect((await callLoader(resetPassword.loader, { path: "/x", params: { token } })).status).toBe(410);
    const used = await callAction(resetPassword.action, {
      path: "/x",
      params: { token },
      form: { password: "someone else's phrase", confirm: "someone else's phrase" },
    });
    expect(used.status).toBe(410);
  });

  it("deactivation ends unused reset and invitation links", async () => {
    const admin = await makeUser(["ADMIN"]);
    const active = await makeUser(["TRAINEE"]);
    const resetToken = (await createPasswordReset(getDb(), { userId: active.id, by: admin.id, ttlHours: 2 })) as string;
    const invited = await inviteUser(getDb(), {
      email: `pending-${Date.now()}@example.test`,
      name: "Pending",
      roles: ["TRAINEE"],
      by: admin.id,
      ttlHours: 2,
    });
    if (!invited.ok) throw new Error("invite failed");
    for (const userId of [active.id, invited.userId]) {
      const out = await callAction(userDetail.action, {
        path: `/admin/users/${userId}`,
        params: { userId },
        cookie: await cookieFor(admin.id),
        form: { intent: "deactivate" },
      });
      expect(out.status).toBe(200);
    }
    expect(await getDb().accountToken.count({ where: { userId: { in: [active.id, invited.userId] }, usedAt: null } })).toBe(0);
    // Reactivated, the old links still do not come back.
    await callAction(userDetail.action, {
      path: "/x",
      params: { userId: active.id },
      cookie: await cookieFor(admin.id),
      form: { intent: "reactivate" },
    });
    expect((await callLoader(resetPassword.loader, { path: "/x", params: { token: resetToken } })).status).toBe(410);
    expect((await callLoader(acceptInvitation.loader, { path: "/x", params: { token: invited.token } })).status).toBe(410);
  });

  it("using one reset link ends any other unused link of the account", async () => {
    const user = await makeUser(["TRAINEE"]);
    const first = (await createPasswordReset(getDb(), { userId: user.id, by: null, ttlHours: 2 })) as string;
    // An older link of another kind left behind (e.g. by data from before this rule).
    await getDb().accountToken.create({
      data: { tokenHash: `stale-${Date.now()}`, purpose: "INVITATION", userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const done = await callAction(resetPassword.action, {
      path: "/x",
      params: { token: first },
      form: { password: NEW_PASSWORD, confirm: NEW_PASSWORD },
    });
    expect(done.status).toBe(302);
    expect(await getDb().accountToken.count({ where: { userId: user.id, usedAt: null } })).toBe(0);
  });
});
