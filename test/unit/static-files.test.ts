import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticFiles } from "#server/static-files";

describe("static files", () => {
  let root: string;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "attune-static-"));
    mkdirSync(path.join(root, "assets"));
    writeFileSync(path.join(root, "favicon.svg"), "<svg/>");
    writeFileSync(path.join(root, "assets", "entry-abc123.js"), "export {};");
    const app = express();
    app.use(staticFiles(root));
    app.use((req, res) => {
      res.status(200).type("text/plain").send(`app:${req.url}`);
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves the files present at start, fingerprinted assets immutable for a year, others for an hour", async () => {
    const asset = await fetch(`${base}/assets/entry-abc123.js?v=1`);
    expect(await asset.text()).toBe("export {};");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const icon = await fetch(`${base}/favicon.svg`);
    expect(await icon.text()).toBe("<svg/>");
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await fetch(`${base}/favicon.svg`, { method: "HEAD" })).status).toBe(200);
  });

  it("hands every other path to the app untouched, including files added after start", async () => {
    writeFileSync(path.join(root, "late.txt"), "late");
    writeFileSync(path.join(root, "assets", "late.js"), "late");
    for (const p of ["/glossary", "/late.txt", "/assets/late.js", "/assets", "/assets/", "/"]) {
      const res = await fetch(`${base}${p}`);
      expect(await res.text(), p).toBe(`app:${p}`);
    }
    // Only reads are answered from disk; a POST to a file's path is the app's.
    expect(await (await fetch(`${base}/favicon.svg`, { method: "POST" })).text()).toBe("app:/favicon.svg");
  });

  it("does not let a traversal reach outside its root", async () => {
    const res = await fetch(`${base}/assets/..%2F..%2Fetc%2Fpasswd`);
    expect(await res.text()).toBe("app:/assets/..%2F..%2Fetc%2Fpasswd");
  });
});
