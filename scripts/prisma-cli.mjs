// Runs the Prisma CLI against the database that DATABASE_URL names, with the
// matching config file (SQLite: prisma.config.ts, PostgreSQL:
// prisma.config.pg.ts). Shared by db-deploy, db-check and new-migration.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/attune.db";
export const prismaBin = path.resolve("node_modules/.bin/prisma");

export function providerOf(url) {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got ${url.split(":")[0]}:)`);
}

export const configFor = (provider) => (provider === "sqlite" ? "prisma.config.ts" : "prisma.config.pg.ts");

export function prisma(args, { url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL, stdio = "inherit" } = {}) {
  const provider = providerOf(url);
  if (provider === "sqlite") {
    const file = url.slice("file:".length);
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  return execFileSync(prismaBin, [...args, "--config", configFor(provider)], {
    stdio,
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

/** A SQLite URL in a fresh temporary folder (removed when the process exits), for CLI commands that open a database they do not need. */
export function scratchSqliteUrl() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-prisma-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return `file:${path.join(dir, "scratch.db")}`;
}
