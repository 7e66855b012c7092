import { describe, expect, it } from "vitest";
import { createPrisma, getDb } from "#app/db.server";
import { pingDatabase } from "#app/models/health.server";
import * as healthz from "#app/routes/healthz";
import { callLoader } from "../support/app";

describe("health check", () => {
  it("/healthz answers 200 with a database round-trip, never cached", async () => {
    const out = await callLoader(healthz.loader, { path: "/healthz" });
    expect(out.status).toBe(200);
    expect(out.data).toMatchObject({ status: "ok", database: "ok" });
    expect(out.headers.get("Cache-Control")).toBe("no-store");
    await expect(pingDatabase(getDb(), 1000)).resolves.toBeUndefined();
  });

  it("pingDatabase rejects when the database does not answer", async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const unreachable = createPrisma("postgresql://postgres@127.0.0.1:1/nowhere");
    try {
      await expect(pingDatabase(unreachable, 2000)).rejects.toThrow();
    } finally {
      await unreachable.$disconnect();
    }
  });
});
