import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "#app/auth/session.server";
import { redactPath, requestLine } from "#server/logging";
import { contentSecurityPolicy, isForeignRequest } from "#server/security";
import { gracefulShutdown } from "#server/shutdown";

describe("content security policy", () => {
  it("allows only nonce'd scripts and forbids framing", () => {
    const csp = contentSecurityPolicy("abc123", { dev: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
  });
});

describe("cross-site request refusal", () => {
  const own = ["http://localhost:3000"];
  it("refuses state changes from another origin", () => {
    expect(isForeignRequest("POST", { origin: "https://evil.example" }, own)).toBe(true);
    expect(isForeignRequest("DELETE", { origin: "null" }, own)).toBe(true);
    expect(isForeignRequest("POST", { secFetchSite: "cross-site" }, own)).toBe(true);
    expect(isForeignRequest("POST", { secFetchSite: "same-site", origin: "http://localhost:3000" }, own)).toBe(true);
  });
  it("lets same-origin, safe and non-browser requests through", () => {
    expect(isForeignRequest("POST", { origin: "http://localhost:3000", secFetchSite: "same-origin" }, own)).toBe(false);
    expect(isForeignRequest("GET", { origin: "https://evil.example" }, own)).toBe(false);
    expect(isForeignRequest("POST", {}, own)).toBe(false);
  });
});

describe("request log lines", () => {
  it("drop query strings and redact token-like path segments", () => {
    const token = "Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV6cXV1eg12345";
    expect(redactPath(`/invitations/${token}`)).toBe("/invitations/:token");
    expect(redactPath("/admin/users/cmabc123")).toBe("/admin/users/cmabc123");
    const line = requestLine({ method: "GET", url: `/password-reset/${token}?email=a@b.c`, status: 200, ms: 3.16, aborted: false });
    expect(line).toMatchObject({ method: "GET", path: "/password-reset/:token", status: 200, ms: 3.2, level: "info" });
    expect(JSON.stringify(line)).not.toContain("a@b.c");
    expect(requestLine({ method: "POST", url: "/", status: 503, ms: 1, aborted: true })).toMatchObject({ level: "error", aborted: true });
  });
});

describe("safe redirects", () => {
  it("keeps only same-site paths", () => {
    expect(safeRedirect("/admin/users?q=x")).toBe("/admin/users?q=x");
    for (const bad of ["//evil.example", "https://evil.example", "/\\evil.example", "", undefined, 42]) expect(safeRedirect(bad)).toBe("/");
  });

  const NASTY = [
    "/\t/127.0.0.1:3299/phish",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\u0000/evil.example",
    "/modules\u0000",
    "/a\r\nSet-Cookie: x=1",
    "/\u3000/evil.example",
    "/\u00a0/evil.example",
    "/\u2028/evil.example",
    "/\ufeff/evil.example",
    "/ /evil.example",
    " /modules",
    "/\\/evil.example",
    "/\\\\evil.example",
    "\\\\evil.example",
    "//evil.example/x",
    "///evil.example",
    "/..//evil.example",
    "/./\u002f/evil.example",
    "/%09/evil.example/..//x".replace("%09", "\t"),
    "https:evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "http://127.0.0.1:3299/phish",
    "\u007f/x",
    "/\u0085/evil.example",
    `/${"a".repeat(3000)}`,
  ];

  it.each(NASTY)("refuses %j", (bad) => {
    expect(safeRedirect(bad)).toBe("/");
    expect(safeRedirect(bad, "/home")).toBe("/home");
  });

  it("returns an ASCII path on our origin that a Location header can carry", () => {
    expect(safeRedirect("/modules/ending-phase#key-points")).toBe("/modules/ending-phase#key-points");
    expect(safeRedirect("/modules/caf\u00e9?q=\u00fcber")).toBe("/modules/caf%C3%A9?q=%C3%BCber");
    expect(safeRedirect("/a/../b")).toBe("/b");
    for (const input of ["/modules/caf\u00e9", "/x?y=\u4e2d", "/%2F%2Fevil.example"]) {
      const out = safeRedirect(input);
      expect(() => new Headers({ Location: out })).not.toThrow();
      expect(new URL(out, "http://ours.example").origin).toBe("http://ours.example");
    }
  });
});

describe("graceful shutdown", () => {
  it("finishes the request in flight, refuses new connections, then cleans up", async () => {
    const events: string[] = [];
    const server = createServer((_req, res) => {
      events.push("request started");
      setTimeout(() => res.end("done"), 300);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const inFlight = new Promise<string>((resolve, reject) => {
      request({ port, host: "127.0.0.1", path: "/" }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve(body));
      })
        .on("error", reject)
        .end();
    });
    while (!events.includes("request started")) await new Promise((r) => setTimeout(r, 10));
    const stop = gracefulShutdown(server, {
      graceMs: 5000,
      cleanup: async () => {
        events.push("cleanup");
      },
    });
    const stopped = stop().then(() => events.push("stopped"));
    const refused = await new Promise<boolean>((resolve) => {
      request({ port, host: "127.0.0.1", path: "/" }, () => resolve(false))
        .on("error", () => resolve(true))
        .end();
    });
    expect(refused).toBe(true);
    expect(await inFlight).toBe("done");
    await stopped;
    expect(events).toEqual(["request started", "cleanup", "stopped"]);
  });

  it("force-closes connections still open after the grace period", async () => {
    const server = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const hung = new Promise<string>((resolve) => {
      request({ port, host: "127.0.0.1", path: "/" }, () => resolve("answered"))
        .on("error", () => resolve("cut"))
        .end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await gracefulShutdown(server, { graceMs: 200, cleanup: async () => {} })();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await hung).toBe("cut");
  });
});
