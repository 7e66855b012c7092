// Cold start: `npm run start:prod` (build present, database migrated) until /healthz answers 200.
// Loopback only; each run on a fresh port, the process group stopped afterwards.
//
//   npm run build && npm run bench:cold-start           (5 runs; BENCH_RUNS=N for more)
//
// Target: < 2 s from spawning npm to a healthy /healthz.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function once(env: NodeJS.ProcessEnv): Promise<{ healthyMs: number; listeningMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn("npm", ["run", "--silent", "start:prod"], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  let listeningMs = Number.NaN;
  child.stdout?.on("data", (c: Buffer) => {
    if (Number.isNaN(listeningMs) && c.toString().includes('"listening"')) listeningMs = performance.now() - t0;
  });
  try {
    for (;;) {
      if (performance.now() - t0 > 30_000) throw new Error("no healthy /healthz within 30 s");
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return { healthyMs: Math.round(performance.now() - t0), listeningMs: Math.round(listeningMs) };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-cold-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, "cold.db")}`,
    HOST: "127.0.0.1",
    LOG_REQUESTS: "false",
  };
  try {
    execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: "ignore" });
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(env));
    const sorted = runs.map((r) => r.healthyMs).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    const summary = { date: new Date().toISOString(), node: process.version, runs, medianMs: median, targetMs: 2000, met: median < 2000 };
    for (const r of runs) console.log(`spawn → "listening" ${r.listeningMs} ms, → /healthz 200 ${r.healthyMs} ms`);
    console.log(`median ${median} ms (target < 2000 ms): ${summary.met ? "MET" : "NOT MET"}`);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(path.join("bench/results", `cold-start-${summary.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(summary, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
