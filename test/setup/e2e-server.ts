// Once for the e2e project: a fresh seeded database and the production build
// served by our own server (server/index.ts) on a free loopback port.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { CHROMIUM_HELP, findChromium } from "../../scripts/find-chromium.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    chromiumPath: string;
    /** The e2e server's database, for tests that start a second server on it. */
    e2eDatabaseUrl: string;
  }
}

export const E2E_PASSWORD = "e2e demo passphrase";

export default async function setup(project: TestProject) {
  const chromium = findChromium();
  if (!chromium) throw new Error(CHROMIUM_HELP);
  if (!existsSync("build/server.js") || !existsSync("build/server/index.js")) {
    throw new Error("No production build: run `npm run build` first (npm test does).");
  }

  const dir = mkdtempSync(path.join(tmpdir(), "attune-e2e-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: `file:${path.join(dir, "e2e.db")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    SEED_PASSWORD: E2E_PASSWORD,
    LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
    LOG_REQUESTS: "false",
    SMTP_URL: "",
    APP_URL: "",
  };
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...env, NODE_ENV: "test" }, stdio: ["ignore", "ignore", "inherit"] });

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
  });
  project.provide("baseUrl", `http://127.0.0.1:${port}`);
  project.provide("chromiumPath", chromium);
  project.provide("e2eDatabaseUrl", env.DATABASE_URL as string);

  return async () => {
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    const code = await exited;
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`server did not shut down cleanly on SIGTERM (exit ${code})`);
  };
}
