// Server middleware: trusted proxies, malformed requests, no-store for sessions, HSTS, the SQLite lock.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnv } from "#app/env.server";
import { applyTrustProxy } from "#server/app";
import { HSTS, isValidHost, noStoreForSessions, refusalFor, refuseMalformed, securityHeaders } from "#server/security";
import { acquireSqliteLock, SqliteLockError } from "#server/sqlite-lock";

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

async function serve(app: express.Express) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((r) => server.once("listening", () => r()));
  const { port } = server.address() as AddressInfo;
  const send = (opts: { method?: string; path?: string; headers?: Record<string, string> }) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method: opts.method ?? "GET", path: opts.path ?? "/", headers: opts.headers },
        (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  return { send, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function ipEcho(trust: string | undefined) {
  const app = express();
  const setting = parseEnv(trust === undefined ? {} : { TRUST_PROXY: trust }).TRUST_PROXY;
  applyTrustProxy(app, setting);
  app.use(refuseMalformed({ trustsProxy: setting !== false }));
  app.get("/", (req, res) => {
    res.json({ ip: req.ip, protocol: req.protocol, hostname: req.hostname });
  });
  return serve(app);
}

describe("TRUST_PROXY decides which X-Forwarded-For entry is the client", () => {
  const spoofed = { "X-Forwarded-For": "6.6.6.6, 203.0.113.9" };

  it("by default ignores X-Forwarded-For entirely", async () => {
    const s = await ipEcho(undefined);
    expect(JSON.parse((await s.send({ headers: spoofed })).body).ip).toBe("127.0.0.1");
    await s.close();
  });

  it("with one hop takes the address the proxy appended (right-most), not the one the client wrote", async () => {
    const s = await ipEcho("1");
    expect(JSON.parse((await s.send({ headers: spoofed })).body).ip).toBe("203.0.113.9");
    await s.close();
  });

  it("with a list of proxies skips only those", async () => {
    const s = await ipEcho("loopback, 203.0.113.0/24");
    expect(JSON.parse((await s.send({ headers: { "X-Forwarded-For": "6.6.6.6, 198.51.100.7, 203.0.113.9" } })).body).ip).toBe(
      "198.51.100.7",
    );
    await s.close();
  });
});

describe("malformed requests", () => {
  it("refuses TRACE and unknown methods with 405 and an Allow header", async () => {
    const s = await ipEcho(undefined);
    for (const method of ["TRACE", "PROPFIND", "MKCOL"]) {
      const r = await s.send({ method });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toContain("GET");
      expect(JSON.parse(r.body).error).toMatch(/not allowed/);
    }
    await s.close();
  });

  it("refuses an invalid Host, and a bad X-Forwarded-Host or -Proto from a trusted proxy, with 400", async () => {
    const s = await ipEcho("1");
    expect((await s.send({ headers: { Host: "evil example" } })).status).toBe(400);
    expect((await s.send({ headers: { Host: "a:b:c" } })).status).toBe(400);
    expect((await s.send({ headers: { "X-Forwarded-Host": "x:1:2" } })).status).toBe(400);
    expect((await s.send({ headers: { "X-Forwarded-Proto": "ht tp" } })).status).toBe(400);
    const ok = await s.send({ headers: { "X-Forwarded-Host": "attune.example.org, evil.example", "X-Forwarded-Proto": "https" } });
    expect(JSON.parse(ok.body)).toMatchObject({ hostname: "attune.example.org", protocol: "https" });
    await s.close();
  });

  it("drops X-Forwarded-Host and -Proto when no proxy is trusted, however odd they are", async () => {
    const s = await ipEcho(undefined);
    const r = await s.send({ headers: { "X-Forwarded-Host": "x:1:2", "X-Forwarded-Proto": "ht tp" } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ hostname: "127.0.0.1", protocol: "http" });
    await s.close();
  });

  it("knows a host when it sees one", () => {
    for (const good of ["localhost", "localhost:3000", "attune.example.org", "127.0.0.1:80", "[::1]:3000", "xn--bcher-kva.example."]) {
      expect(isValidHost(good)).toBe(true);
    }
    for (const bad of ["", "a b", "a:b", "a:1:2", "host:99999", "evil.example/x", "-x.example", "a..b", "[zz]", "x@y"]) {
      expect(isValidHost(bad)).toBe(false);
    }
    expect(refusalFor({ method: "GET", url: "http://evil.example/", host: "localhost" })).toMatchObject({ status: 400 });
    expect(refusalFor({ method: "GET", url: "//x", host: "localhost" })).toMatchObject({ status: 400 });
    expect(refusalFor({ method: "GET", url: "/", host: undefined })).toMatchObject({ status: 400 });
    expect(refusalFor({ method: "POST", url: "/login", host: "localhost:3000" })).toBeNull();
  });
});

describe("caching and transport headers", () => {
  async function app(https = false) {
    const a = express();
    a.use(securityHeaders({ dev: false, https }));
    a.use(noStoreForSessions({ cookieName: "attune_session" }));
    a.get("/page", (_req, res) => {
      res.setHeader("Cache-Control", "public, max-age=600");
      res.send("page");
    });
    a.post("/login", (_req, res) => {
      res.setHeader("Set-Cookie", "attune_session=new; Path=/; HttpOnly");
      res.redirect(302, "/");
    });
    return serve(a);
  }

  it("sends private, no-store to a request with a session, and to the response that starts one", async () => {
    const s = await app();
    expect((await s.send({ path: "/page", headers: { Cookie: "x=1; attune_session=abc" } })).headers["cache-control"]).toBe(
      "private, no-store",
    );
    expect((await s.send({ path: "/page", headers: { Cookie: "attune_session=" } })).headers["cache-control"]).toBe("public, max-age=600");
    expect((await s.send({ path: "/page" })).headers["cache-control"]).toBe("public, max-age=600");
    expect((await s.send({ method: "POST", path: "/login" })).headers["cache-control"]).toBe("private, no-store");
    await s.close();
  });

  it("sends HSTS only when served over HTTPS", async () => {
    const plain = await app(false);
    expect((await plain.send({ path: "/page" })).headers["strict-transport-security"]).toBeUndefined();
    await plain.close();
    const tls = await app(true);
    expect((await tls.send({ path: "/page" })).headers["strict-transport-security"]).toBe(HSTS);
    await tls.close();
  });
});

describe("one server per SQLite file", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dbUrl = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "attune-lock-"));
    dirs.push(dir);
    return { url: `file:${path.join(dir, "app.db")}`, lock: path.join(dir, "app.db.lock") };
  };

  it("takes a lock file next to the database and removes it on release", () => {
    const { url, lock } = dbUrl();
    const held = acquireSqliteLock(url);
    expect(held?.path).toBe(lock);
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    held?.release();
    expect(existsSync(lock)).toBe(false);
  });

  it("refuses while a live process on this host holds it, naming the file", () => {
    const { url, lock } = dbUrl();
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: "x" }));
    expect(() => acquireSqliteLock(url)).toThrow(SqliteLockError);
    expect(() => acquireSqliteLock(url)).toThrow(/Another Attune server \(pid \d+.*app\.db.*PostgreSQL/);
    expect(existsSync(lock)).toBe(true);
  });

  it("takes over a stale lock whose process is gone", () => {
    const { url, lock } = dbUrl();
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    writeFileSync(lock, JSON.stringify({ pid: Number(gone), host: hostname(), startedAt: "x" }));
    const held = acquireSqliteLock(url);
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
    held?.release();
  });

  it("needs no lock for PostgreSQL", () => {
    expect(acquireSqliteLock("postgresql://u@h/db")).toBeNull();
  });
});
