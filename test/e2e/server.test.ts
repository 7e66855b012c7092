// The server process itself: start-up checks, health, headers, origin checks, shutdown.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { SMTPServer } from "smtp-server";
import { describe, expect, inject, it } from "vitest";
import { baseUrl, PASSWORD } from "../support/browser";
import { freshSqliteDatabase, portOf, signInOverHttp, startServer } from "../support/server-process";

/** A raw HTTP request (fetch cannot send TRACE or choose the Host header). */
function raw(base: string, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) {
  const url = new URL(base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: opts.method ?? "GET", path: opts.path ?? "/", headers: opts.headers },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

describe("server process", () => {
  it("refuses to start with a bad setting, naming the variable", async () => {
    const { exit, output } = startServer({ PORT: "eighty", DATABASE_URL: "mysql://nope" });
    expect(await exit).toBe(1);
    expect(output()).toMatch(/PORT/);
    expect(output()).toMatch(/DATABASE_URL/);
  });

  it("/healthz answers 503 when the database is unreachable, and logs one line per request without the query", async () => {
    const server = startServer({ DATABASE_URL: "postgresql://nobody@127.0.0.1:1/nothing" });
    const port = await portOf(server.output);
    const res = await fetch(`http://127.0.0.1:${port}/healthz?secret=abc`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "error", database: "unreachable" });
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.includes('"msg":"request"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ method: "GET", path: "/healthz", status: 503 });
    expect(server.output()).not.toContain("secret=abc");
    expect(server.output()).toMatch(/"msg":"stopped"/);
  });

  it("/healthz answers 200 with a database round-trip", async () => {
    const res = await fetch(`${baseUrl()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("refuses a cross-site POST with a JSON error", async () => {
    const res = await fetch(`${baseUrl()}/login`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=admin%40attune.test&password=x",
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "Cross-site request refused" });
  });

  it("sends a fresh CSP nonce with every page, matching the page's scripts", async () => {
    const a = await fetch(`${baseUrl()}/login`);
    const b = await fetch(`${baseUrl()}/login`);
    const nonceOf = (csp: string | null) => csp?.match(/'nonce-([^']+)'/)?.[1];
    const na = nonceOf(a.headers.get("content-security-policy"));
    expect(na).toBeTruthy();
    expect(na).not.toBe(nonceOf(b.headers.get("content-security-policy")));
    const html = await a.text();
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${na}"`);
    expect(a.headers.get("x-frame-options")).toBe("DENY");
  });

  it("refuses to start in production with mail on and no APP_URL, and with TRUST_PROXY=true, naming the variable", async () => {
    const mail = startServer({ SMTP_URL: "smtp://127.0.0.1:2525", APP_URL: "", DATABASE_URL: "file:/nonexistent/x.db" });
    expect(await mail.exit).toBe(1);
    expect(mail.output()).toMatch(/APP_URL: must be set in production when SMTP_URL is set/);
    const proxy = startServer({ TRUST_PROXY: "true", DATABASE_URL: "file:/nonexistent/x.db" });
    expect(await proxy.exit).toBe(1);
    expect(proxy.output()).toMatch(/TRUST_PROXY: must not be "true"/);
  });

  // About SQLite's one-process rule: the lane on PostgreSQL (several instances allowed) has no such lock.
  it.skipIf(!inject("e2eDatabaseUrl").startsWith("file:"))(
    "refuses a second server process on the same SQLite file, and takes over a stale lock",
    async () => {
      const second = startServer({ DATABASE_URL: inject("e2eDatabaseUrl"), LOG_REQUESTS: "false" });
      expect(await second.exit).toBe(1);
      expect(second.output()).toMatch(/Another Attune server \(pid \d+/);
      expect(second.output()).toMatch(/e2e\.db/);
      // The running server is untouched.
      expect((await fetch(`${baseUrl()}/healthz`)).status).toBe(200);

      const db = freshSqliteDatabase();
      try {
        const lock = `${db.url.slice("file:".length)}.lock`;
        writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), startedAt: "2026-01-01T00:00:00Z" }));
        const server = startServer({ DATABASE_URL: db.url, LOG_REQUESTS: "false", APP_URL: "" });
        const port = await portOf(server.output);
        expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(server.child.pid);
        // In production without APP_URL it says so once it listens: links and credentials would name localhost.
        await expect
          .poll(() => server.output())
          .toMatch(new RegExp(`"level":"warn","msg":"APP_URL is not set[^"]*","baseUrl":"http://localhost:${port}"`));
        server.child.kill("SIGTERM");
        expect(await server.exit).toBe(0);
        expect(existsSync(lock)).toBe(false);
      } finally {
        db.cleanup();
      }
    },
  );

  it("mails reset links to its configured origin whatever Host or X-Forwarded-Host a request carries", async () => {
    const inbox: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        let body = "";
        stream.on("data", (c: Buffer) => (body += c.toString()));
        stream.on("end", () => {
          inbox.push(body.replace(/=\r?\n/g, ""));
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
    const db = freshSqliteDatabase({ seed: true });
    const server = startServer({
      NODE_ENV: "test",
      DATABASE_URL: db.url,
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      APP_URL: "",
      TRUST_PROXY: "1",
      LOG_REQUESTS: "false",
    });
    try {
      const port = await portOf(server.output);
      const poisoned: Record<string, string>[] = [
        { Host: "evil.example" },
        { Host: `127.0.0.1:${port}`, "X-Forwarded-Host": "evil.example" },
      ];
      for (const headers of poisoned) {
        const res = await raw(`http://127.0.0.1:${port}`, {
          method: "POST",
          path: "/forgot-password",
          headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
          body: "email=trainer%40attune.test",
        });
        expect(res.status).toBe(200);
      }
      await expect.poll(() => inbox.length, { timeout: 10_000 }).toBe(2);
      for (const mail of inbox) {
        expect(mail).not.toContain("evil.example");
        expect(mail).toMatch(new RegExp(`http://localhost:${port}/password-reset/[A-Za-z0-9_-]{43}`));
      }
    } finally {
      server.child.kill("SIGTERM");
      await server.exit;
      await new Promise<void>((r) => smtp.close(() => r()));
      db.cleanup();
    }
  });

  it("answers malformed requests with 4xx, never 500", async () => {
    const base = baseUrl();
    expect((await raw(base, { method: "TRACE" })).status).toBe(405);
    expect((await raw(base, { path: "/login", headers: { Host: "bad host" } })).status).toBe(400);
    expect((await raw(base, { path: "/login", headers: { "X-Forwarded-Host": "x:1:2" } })).status).toBe(200);
    expect((await raw(base, { path: "/login", headers: { Cookie: "other=%%%" } })).status).toBe(200);
    expect((await raw(base, { path: "/modules", headers: { Cookie: "other=%%%; attune_session=%E0%A4%A" } })).status).toBe(302);
    const json = await raw(base, { method: "POST", path: "/login", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(json.status).toBe(415);
    const brokenMultipart = {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=xyz" },
      body: '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc',
    };
    const page = await raw(base, { ...brokenMultipart, path: "/login" });
    expect(page.status).toBe(400);
    expect(page.body).toContain("That request could not be understood");
    const dataRequest = await raw(base, { ...brokenMultipart, path: "/login.data" });
    expect(dataRequest.status).toBe(400);
    expect(dataRequest.body).toContain("could not be read");
  });

  it("marks every signed-in response private, no-store — pages and data requests", async () => {
    const cookie = await signInOverHttp(baseUrl(), "accreditor@attune.test", PASSWORD);
    for (const path of ["/", "/account", "/_root.data", "/modules.data", "/account.data"]) {
      const res = await fetch(`${baseUrl()}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(res.status, path).toBeLessThan(400);
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
    }
    expect((await fetch(`${baseUrl()}/favicon.svg`, { headers: { Cookie: cookie } })).headers.get("cache-control")).toMatch(/max-age/);
  });
});
