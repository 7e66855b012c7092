import { describe, expect, it } from "vitest";
import { getUser } from "#app/auth/session.server";
import { hashToken } from "#app/crypto/tokens.server";
import { getDb } from "#app/db.server";
import { setUserActive } from "#app/models/user.server";
import * as account from "#app/routes/account";
import * as login from "#app/routes/login";
import * as logout from "#app/routes/logout";
import { callAction, callLoader, cookieFromSetCookie, makeUser, PASSWORD, setCookieOf } from "../support/app";

async function signIn(email: string, password = PASSWORD, ip = "10.0.0.1", cookie?: string, redirectTo?: string) {
  return callAction(login.action, { path: "/login", form: { email, password, ...(redirectTo ? { redirectTo } : {}) }, ip, cookie });
}

async function whoIs(cookie: string) {
  return getUser({
    request: new Request("http://localhost/", { headers: { Cookie: cookie } }),
    context: { cspNonce: "", clientIp: "", appUrl: "" },
  });
}

describe("sign-in", () => {
  it("signs in with the right password and sets a httpOnly, SameSite=Lax session cookie", async () => {
    const user = await makeUser(["TRAINEE"]);
    const result = await signIn(user.email.toUpperCase());
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/");
    const setCookie = setCookieOf(result) ?? "";
    expect(setCookie).toMatch(/^attune_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    const signedIn = await whoIs(cookieFromSetCookie(setCookie));
    expect(signedIn?.id).toBe(user.id);
  });

  it("stores only a hash of the session id", async () => {
    const user = await makeUser(["TRAINEE"]);
    const cookie = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    const raw = cookie.split("=")[1] as string;
    const rows = await getDb().session.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(hashToken(raw));
    expect(rows[0]?.id).not.toBe(raw);
  });

  it("refuses a wrong password with a clear message and audits it", async () => {
    const user = await makeUser(["TRAINEE"]);
    const result = await signIn(user.email, "not the password at all");
    expect(result.status).toBe(401);
    expect(result.data).toMatchObject({ message: expect.stringMatching(/do not match/) });
    const failed = await getDb().auditEvent.findMany({ where: { type: "auth.login_failed", subjectId: user.id } });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.data).not.toContain("not the password");
  });

  it("gives field errors for missing input", async () => {
    const result = await callAction(login.action, { path: "/login", form: { email: "not-an-email", password: "" } });
    expect(result.status).toBe(400);
    expect(result.data).toMatchObject({ errors: { email: expect.any(String), password: expect.any(String) } });
  });

  it("does not honour an off-site redirectTo", async () => {
    const user = await makeUser(["TRAINEE"]);
    const result = await callAction(login.action, {
      path: "/login",
      form: { email: user.email, password: PASSWORD, redirectTo: "//evil.example/x" },
    });
    expect(result.headers.get("Location")).toBe("/");
  });

  it("falls back to the home page for a redirectTo with control characters or odd spaces, instead of failing after the session was made", async () => {
    const user = await makeUser(["TRAINEE"]);
    for (const redirectTo of ["/\t/127.0.0.1:3299/phish", "/x\u0000", "/x\r\nSet-Cookie: a=b", "/\u3000/evil.example"]) {
      const result = await signIn(user.email, PASSWORD, "10.0.0.1", undefined, redirectTo);
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe("/");
    }
    const ok = await signIn(user.email, PASSWORD, "10.0.0.1", undefined, "/modules/caf\u00e9?x=1");
    expect(ok.headers.get("Location")).toBe("/modules/caf%C3%A9?x=1");
  });

  it("treats a Cookie header it cannot parse as no session, on pages and on sign-in", async () => {
    const user = await makeUser(["TRAINEE"]);
    expect(await whoIs("other=%%%")).toBeNull();
    expect((await callLoader(login.loader, { path: "/login", cookie: "other=%%%" })).status).toBe(200);
    const result = await signIn(user.email, PASSWORD, "10.0.0.1", "other=%%%; attune_session=%E0%A4%A");
    expect(result.status).toBe(302);
    expect(await whoIs(cookieFromSetCookie(setCookieOf(result)))).toMatchObject({ id: user.id });
  });

  it("rotates the session at sign-in: the old session id stops working", async () => {
    const user = await makeUser(["TRAINEE"]);
    const first = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    const second = cookieFromSetCookie(setCookieOf(await signIn(user.email, PASSWORD, "10.0.0.1", first)));
    expect(second).not.toBe(first);
    expect(await whoIs(first)).toBeNull();
    expect((await whoIs(second))?.id).toBe(user.id);
  });

  it("signs out: the session is gone from the database", async () => {
    const user = await makeUser(["TRAINEE"]);
    const cookie = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    const out = await callAction(logout.action, { path: "/logout", form: {}, cookie });
    expect(out.status).toBe(302);
    expect(setCookieOf(out)).toMatch(/attune_session=;/);
    expect(await whoIs(cookie)).toBeNull();
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("rate limiting (limits are 3 per account, 6 per IP in tests)", () => {
  it("pauses an account from the IP that failed, even for the right password, but not the owner elsewhere", async () => {
    const user = await makeUser(["TRAINEE"]);
    for (let i = 0; i < 3; i++) expect((await signIn(user.email, "wrong password!!", "10.1.0.1")).status).toBe(401);
    const blocked = await signIn(user.email, PASSWORD, "10.1.0.1");
    expect(blocked.status).toBe(429);
    expect(blocked.data).toMatchObject({ message: expect.stringMatching(/Too many failed sign-in attempts/) });
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    // The owner, from another address, is not locked out by someone else's failures.
    expect((await signIn(user.email, PASSWORD, "10.1.0.2")).status).toBe(302);
    expect((await signIn(user.email, PASSWORD, "10.1.0.1")).status).toBe(429);
  });

  it("writes one throttling audit row per account and IP per window, however many refused attempts follow", async () => {
    const user = await makeUser(["TRAINEE"]);
    const audits = (type: string) => getDb().auditEvent.count({ where: { type, data: { contains: `"email":"${user.email}"` } } });
    for (let i = 0; i < 3; i++) await signIn(user.email, "wrong password!!", "10.4.0.1");
    for (let i = 0; i < 20; i++) expect((await signIn(user.email, "wrong password!!", "10.4.0.1")).status).toBe(429);
    expect(await audits("auth.login_failed")).toBe(3);
    expect(await audits("auth.login_throttled")).toBe(1);
    expect(await getDb().loginAttempt.count({ where: { accountKey: user.email } })).toBe(3);
  });

  it("holds the per-account limit under 24 parallel sign-ins (check and record are one step)", async () => {
    const user = await makeUser(["TRAINEE"]);
    const results = await Promise.all(Array.from({ length: 24 }, () => signIn(user.email, "wrong password!!", "10.5.0.1")));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(21);
  });

  it("lets at most the limit's worth of parallel guesses reach the password check, right password among them", async () => {
    const user = await makeUser(["TRAINEE"]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(user.email, i === 19 ? PASSWORD : "wrong password!!", "10.5.0.2")),
    );
    const checked = results.filter((r) => r.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(3);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(17);
  });

  it("pauses an IP address that tries many accounts", async () => {
    const ip = "10.2.0.1";
    for (let i = 0; i < 6; i++) await signIn(`nobody-${i}@example.test`, "wrong password!!", ip);
    const user = await makeUser(["TRAINEE"]);
    expect((await signIn(user.email, PASSWORD, ip)).status).toBe(429);
    expect((await signIn(user.email, PASSWORD, "10.2.0.2")).status).toBe(302);
  });

  it("someone spraying from a shared address does not lock out a colleague already signed in from it", async () => {
    const ip = "10.6.0.1";
    const colleague = await makeUser(["TRAINEE"]);
    expect((await signIn(colleague.email, PASSWORD, ip)).status).toBe(302);
    for (let i = 0; i < 6; i++) await signIn(`sprayed-${i}@example.test`, "wrong password!!", ip);
    const stranger = await makeUser(["TRAINEE"]);
    expect((await signIn(stranger.email, PASSWORD, ip)).status).toBe(429);
    expect((await signIn(colleague.email, PASSWORD, ip)).status).toBe(302);
  });

  it("counts only failures inside the window", async () => {
    const user = await makeUser(["TRAINEE"]);
    const old = new Date(Date.now() - 16 * 60_000);
    await getDb().loginAttempt.createMany({
      data: [1, 2, 3].map(() => ({ accountKey: user.email, ip: "10.3.0.1", succeeded: false, createdAt: old })),
    });
    expect((await signIn(user.email, PASSWORD, "10.3.0.1")).status).toBe(302);
  });
});

describe("account lifecycle ends sessions", () => {
  it("a deactivated person is signed out everywhere and cannot sign in", async () => {
    const admin = await makeUser(["ADMIN"]);
    const user = await makeUser(["TRAINEE"]);
    const cookie = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    expect(await setUserActive(getDb(), { userId: user.id, active: false, by: admin.id })).toEqual({ ok: true });
    expect(await whoIs(cookie)).toBeNull();
    expect((await signIn(user.email)).status).toBe(401);
  });

  it("changing the password ends every other session and keeps this browser signed in", async () => {
    const user = await makeUser(["TRAINER"]);
    const laptop = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    const phone = cookieFromSetCookie(setCookieOf(await signIn(user.email, PASSWORD, "10.4.0.2")));
    const changed = await callAction(account.action, {
      path: "/account",
      cookie: laptop,
      form: { current: PASSWORD, password: "a brand new passphrase", confirm: "a brand new passphrase" },
    });
    expect(changed.status).toBe(302);
    expect(await whoIs(phone)).toBeNull();
    expect(await whoIs(laptop)).toBeNull();
    expect((await whoIs(cookieFromSetCookie(setCookieOf(changed))))?.id).toBe(user.id);
    expect((await signIn(user.email, "a brand new passphrase", "10.4.0.3")).status).toBe(302);
  });

  it("refuses a password change with the wrong current password or a short new one", async () => {
    const user = await makeUser(["TRAINEE"]);
    const cookie = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    const wrong = await callAction(account.action, {
      path: "/account",
      cookie,
      form: { current: "nope nope nope", password: "another long passphrase", confirm: "another long passphrase" },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.data).toMatchObject({ errors: { current: expect.any(String) } });
    const short = await callAction(account.action, {
      path: "/account",
      cookie,
      form: { current: PASSWORD, password: "short", confirm: "short" },
    });
    expect(short.data).toMatchObject({ errors: { password: expect.stringMatching(/at least 12/) } });
    const differ = await callAction(account.action, {
      path: "/account",
      cookie,
      form: { current: PASSWORD, password: "another long passphrase", confirm: "another long passphrase?" },
    });
    expect(differ.data).toMatchObject({ errors: { confirm: expect.any(String) } });
    expect(await whoIs(cookie)).not.toBeNull();
  });

  it("an expired session is refused", async () => {
    const user = await makeUser(["TRAINEE"]);
    const cookie = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    await getDb().session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await whoIs(cookie)).toBeNull();
    const page = await callLoader(account.loader, { path: "/account", cookie });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
  });
});

describe("session checks on every request", () => {
  it("sees a deactivation, a reactivation and a sign-out from the very next request, written by another client too", async () => {
    const user = await makeUser(["TRAINEE"]);
    const cookie = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    expect((await whoIs(cookie))?.id).toBe(user.id);
    expect((await whoIs(cookie))?.id).toBe(user.id); // the lookup's statement is prepared and reused by now
    // Another instance's write: a separate client on the same database.
    const { createPrisma } = await import("#app/db.server");
    const { env } = await import("#app/env.server");
    const other = createPrisma(env().DATABASE_URL);
    try {
      await other.user.update({ where: { id: user.id }, data: { status: "DEACTIVATED" } });
      expect(await whoIs(cookie)).toBeNull();
      await other.user.update({ where: { id: user.id }, data: { status: "ACTIVE" } });
      expect((await whoIs(cookie))?.id).toBe(user.id);
      await other.session.deleteMany({ where: { userId: user.id } });
      expect(await whoIs(cookie)).toBeNull();
    } finally {
      await other.$disconnect();
    }
  });

  it("counts the session lookup as one query", async () => {
    const { countQueries } = await import("#app/db-metrics.server");
    const user = await makeUser(["TRAINEE"]);
    const cookie = cookieFromSetCookie(setCookieOf(await signIn(user.email)));
    const { result, queries } = await countQueries(() => whoIs(cookie));
    expect(result?.id).toBe(user.id);
    expect(queries).toBe(1);
  });
});
