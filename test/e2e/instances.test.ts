// Two app processes (production build, server/index.ts) on one PostgreSQL database: sessions, sign-out,
// sign-in limits and password changes hold across both. Needs PG_TEST_URL (a database on a server where
// this test may create and drop databases named <that database>_mi…).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portOf, prepareDatabase, signInOverHttp, startServer } from "../support/server-process";

const PASSWORD = "instances demo passphrase";
const pgUrl = process.env.PG_TEST_URL;

function admin(url: URL) {
  return new pg.Client({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    database: "postgres",
  });
}

describe.skipIf(!pgUrl)("two instances on one PostgreSQL database", () => {
  let name = "";
  let a = "";
  let b = "";
  const servers: ReturnType<typeof startServer>[] = [];

  beforeAll(async () => {
    const base = new URL(pgUrl as string);
    name = `${decodeURIComponent(base.pathname.slice(1))}_mi${randomBytes(4).toString("hex")}`;
    const c = admin(base);
    await c.connect();
    await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    prepareDatabase(url.toString(), { seed: true, password: PASSWORD });
    for (let i = 0; i < 2; i++) {
      servers.push(
        startServer({
          DATABASE_URL: url.toString(),
          LOG_REQUESTS: "false",
          LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
          SMTP_URL: "",
          APP_URL: "",
        }),
      );
    }
    const bases = await Promise.all(servers.map(async (s) => `http://127.0.0.1:${await portOf(s.output)}`));
    a = bases[0] as string;
    b = bases[1] as string;
  });

  afterAll(async () => {
    for (const s of servers) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exit));
    if (!name) return;
    const c = admin(new URL(pgUrl as string));
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });

  const account = (base: string, cookie: string) => fetch(`${base}/account`, { headers: { Cookie: cookie }, redirect: "manual" });

  it("a session made on A is valid on B, and signing out on A ends it on B", async () => {
    const cookie = await signInOverHttp(a, "accreditor@attune.test", PASSWORD);
    const onB = await account(b, cookie);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain("accreditor@attune.test");
    const out = await fetch(`${a}/logout`, { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
    expect(out.status).toBe(302);
    const after = await account(b, cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });

  it("counts sign-in failures across both instances", async () => {
    const fail = (base: string) =>
      fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "trainer2@attune.test", password: "not the password at all" }),
      });
    expect((await fail(a)).status).toBe(401);
    expect((await fail(b)).status).toBe(401);
    expect((await fail(a)).status).toBe(401);
    // The limit (3) is reached across the two: the right password is refused on either.
    for (const base of [b, a]) {
      const res = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "trainer2@attune.test", password: PASSWORD }),
      });
      expect(res.status).toBe(429);
    }
  });

  it("holds the limit under parallel sign-ins spread over both instances", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${i % 2 ? a : b}/login`, {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ email: "trainee3@attune.test", password: "not the password at all" }),
        }).then((r) => r.status),
      ),
    );
    expect(results.filter((s) => s === 401)).toHaveLength(3);
    expect(results.filter((s) => s === 429)).toHaveLength(17);
  });

  it("a password change on A ends the person's sessions on B", async () => {
    const onB = await signInOverHttp(b, "moderator@attune.test", PASSWORD);
    const onA = await signInOverHttp(a, "moderator@attune.test", PASSWORD);
    expect((await account(b, onB)).status).toBe(200);
    const next = "a brand new passphrase for the moderator";
    const changed = await fetch(`${a}/account`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: onA, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ current: PASSWORD, password: next, confirm: next }),
    });
    expect(changed.status).toBe(302);
    expect((await account(b, onB)).status).toBe(302);
    // The browser that changed it carries on, on either instance.
    const fresh = changed.headers.get("set-cookie")?.split(";")[0] as string;
    expect((await account(b, fresh)).status).toBe(200);
  });
});
