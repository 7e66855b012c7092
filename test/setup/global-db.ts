// Once per integration project: a migrated base database that every test file copies.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    dbKind: "sqlite" | "postgresql";
    baseDatabaseUrl: string;
  }
}

function deploy(url: string) {
  execFileSync("node", ["scripts/db-deploy.mjs"], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
}

export default function setup(project: TestProject) {
  const kind = project.config.provide?.dbKind ?? "sqlite";
  if (kind === "postgresql") {
    const url = process.env.PG_TEST_URL;
    if (!url) throw new Error("PG_TEST_URL is not set");
    // The named database is the template each test file clones: it must exist, empty or migrated.
    deploy(url);
    project.provide("baseDatabaseUrl", url);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), "attune-test-"));
  const url = `file:${path.join(dir, "base.db")}`;
  deploy(url);
  project.provide("baseDatabaseUrl", url);
  return () => rmSync(dir, { recursive: true, force: true });
}
