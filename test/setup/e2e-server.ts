// Once for each e2e project: a fresh seeded database and the production build
// served by our own server (server/index.ts) on a free loopback port. The
// `e2e` project runs on a SQLite file; `e2e-postgresql` (when PG_TEST_URL is
// set) on a database of its own, created on PG_TEST_URL's server and dropped
// afterwards. The two lanes share nothing but the build.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { CHROMIUM_HELP, findChromium } from "../../scripts/find-chromium.mjs";
import { TEST_CREDENTIAL_KEYS, TEST_MASTER_KEYS } from "../support/test-keys";

declare module "vitest" {
  export interface ProvidedContext {
    /** Which database the e2e project's server runs on (set in vitest.config.ts). */
    e2eDbKind: "sqlite" | "postgresql";
    baseUrl: string;
    chromiumPath: string;
    /** The e2e server's database, for tests that start a second server on it. */
    e2eDatabaseUrl: string;
  }
}

export const E2E_PASSWORD = "e2e demo passphrase";

/** Runs one statement on the server's maintenance database (never on PG_TEST_URL's own, which integration tests clone). */
async function onPgServer(serverUrl: URL, sql: string) {
  const client = new pg.Client({
    host: serverUrl.hostname,
    port: Number(serverUrl.port || 5432),
    user: decodeURIComponent(serverUrl.username),
    password: serverUrl.password ? decodeURIComponent(serverUrl.password) : undefined,
    database: "postgres",
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database for this run: a fresh SQLite file, or a fresh PostgreSQL database; and how to remove it. */
async function freshDatabase(kind: "sqlite" | "postgresql"): Promise<{ url: string; remove: () => Promise<void> }> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "attune-e2e-"));
    return { url: `file:${path.join(dir, "e2e.db")}`, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!process.env.PG_TEST_URL) throw new Error("PG_TEST_URL is not set");
  const server = new URL(process.env.PG_TEST_URL);
  const name = `${decodeURIComponent(server.pathname.slice(1)) || "attune"}_e2e_${randomBytes(4).toString("hex")}`;
  await onPgServer(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), remove: () => onPgServer(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export default async function setup(project: TestProject) {
  const chromium = findChromium();
  if (!chromium) throw new Error(CHROMIUM_HELP);
  if (!existsSync("build/server.js") || !existsSync("build/server/index.js")) {
    throw new Error("No production build: run `npm run build` first (npm test does).");
  }

  const database = await freshDatabase(project.config.provide?.e2eDbKind ?? "sqlite");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    HOST: "127.0.0.1",
    PORT: "0",
    SEED_PASSWORD: E2E_PASSWORD,
    LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
    LOG_REQUESTS: "false",
    SMTP_URL: "",
    APP_URL: "",
    // Recordings: the fixed test key and a folder of this lane's own.
    RECORDING_MASTER_KEYS: TEST_MASTER_KEYS,
    RECORDING_KEYS_FILE: "",
    RECORDINGS_DIR: mkdtempSync(path.join(tmpdir(), "attune-e2e-recordings-")),
    // Credentials: the fixed test signing keys.
    CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
    CREDENTIAL_KEYS_DIR: "",
    CASE_STUDIES_DIR: mkdtempSync(path.join(tmpdir(), "attune-e2e-case-studies-")),
    // Public verification: every e2e request comes from loopback, one client address for the limiter; the fuzz
    // test alone sends hundreds. The limit itself is tested in test/integration/verify*.test.ts.
    VERIFY_RATE_LIMIT: "100000",
  };
  try {
    execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
    execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], {
      env: { ...env, NODE_ENV: "test" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch (error) {
    await database.remove();
    throw error;
  }

  const server: ChildProcess = spawn("node", ["build/server.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    server.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/"msg":"listening".*"port":(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    server.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  }).catch(async (error) => {
    server.kill("SIGTERM");
    await database.remove();
    throw error;
  });
  project.provide("baseUrl", `http://127.0.0.1:${port}`);
  project.provide("chromiumPath", chromium);
  project.provide("e2eDatabaseUrl", env.DATABASE_URL as string);

  return async () => {
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    const code = await exited;
    await database.remove();
    rmSync(env.RECORDINGS_DIR as string, { recursive: true, force: true });
    rmSync(env.CASE_STUDIES_DIR as string, { recursive: true, force: true });
    if (code !== 0) throw new Error(`server did not shut down cleanly on SIGTERM (exit ${code})`);
  };
}
