import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TEST_CREDENTIAL_KEYS, TEST_MASTER_KEYS } from "./test-keys";

/** Starts our server as its own process on a free port (production build). */
export function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn("node", ["build/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_REQUESTS: "true",
      RECORDING_MASTER_KEYS: TEST_MASTER_KEYS,
      CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exit };
}

export async function portOf(output: () => string): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const m = output().match(/"msg":"listening".*"port":(\d+)/);
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no listening line:\n${output()}`);
}

/** A migrated (and optionally seeded) SQLite database of its own, for a server process a test starts. */
export function freshSqliteDatabase({ seed = false, password = "e2e demo passphrase" } = {}): {
  url: string;
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-proc-"));
  const url = `file:${path.join(dir, "app.db")}`;
  prepareDatabase(url, { seed, password });
  return { url, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Applies the migrations to DATABASE_URL `url` and, if asked, seeds the demo accounts. */
export function prepareDatabase(url: string, { seed = false, password = "e2e demo passphrase" } = {}): void {
  const env = { ...process.env, DATABASE_URL: url, SMTP_URL: "", APP_URL: "", TRUST_PROXY: "" };
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
  if (seed) {
    execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], {
      env: { ...env, NODE_ENV: "test", SEED_PASSWORD: password },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}

/** Signs in over HTTP; the Cookie header to send afterwards (throws unless the sign-in redirected). */
export async function signInOverHttp(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${email} on ${base} gave ${res.status}`);
  return cookie;
}
