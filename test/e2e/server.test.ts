// The server process itself: start-up checks, health, headers, origin checks, shutdown.
import { describe, expect, it } from "vitest";
import { baseUrl } from "../support/browser";
import { portOf, startServer } from "../support/server-process";

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
});
