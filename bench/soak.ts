// Memory soak: the production server under 32 connections over a mix of signed-in pages (module pages, the
// course overview, a quiz attempt, the marking queue), RSS sampled every 10 s. Loopback only, bounded.
//
//   npm run build && npm run bench:soak                 (10 minutes)
//   npm run bench:soak -- --short                       (60 s, samples every 5 s)
//   SOAK_SECONDS=180 npm run bench:soak                 (any length)
//
// Targets: RSS plateaus (grows < 10 % over the last half of the run — the last 5 minutes of 10) and peaks < 300 MB.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { TEST_CREDENTIAL_KEYS } from "../test/support/test-keys";
import { rssMb, signIn as signInWith, startProdFlags, waitForLine } from "./harness";

const short = process.argv.includes("--short");
const SECONDS = Number(process.env.SOAK_SECONDS ?? (short ? 60 : 600));
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? (short ? 5 : 10));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PASSWORD = "bench passphrase 2026";
const signIn = (base: string, email: string) => signInWith(base, email, PASSWORD);

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-soak-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    // Credential signing keys: the fixed test ones (a production server refuses to start without keys).
    CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
    DATABASE_URL: `file:${path.join(dir, "soak.db")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_REQUESTS: "false",
    SEED_PASSWORD: PASSWORD,
  };
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: "ignore" });
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...env, NODE_ENV: "test" }, stdio: "ignore" });
  // The node flags `npm run start:prod` uses (heap limit, source maps), unless SOAK_NODE_FLAGS overrides them.
  const flags = (process.env.SOAK_NODE_FLAGS ?? startProdFlags()).split(" ").filter(Boolean);
  const app = spawn("node", [...flags, "build/server.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const base = `http://127.0.0.1:${Number((await waitForLine(app, /"port":(\d+)/))[1])}`;
    const trainee = await signIn(base, "trainee@attune.test");
    const marker = await signIn(base, "trainer@attune.test");
    // An open quiz attempt for the trainee (its page is one of the mix).
    const start = await fetch(`${base}/quizzes/the-ipaf-quiz`, { method: "POST", redirect: "manual", headers: { Cookie: trainee } });
    const attemptPath = start.headers.get("location") ?? "/quizzes/the-ipaf-quiz";
    const asTrainee = { Cookie: trainee };
    const requests = [
      { path: "/modules/the-ipaf", headers: asTrainee },
      { path: "/modules", headers: asTrainee },
      { path: "/modules/mentalizing", headers: asTrainee },
      { path: attemptPath, headers: asTrainee },
      { path: "/modules/techniques", headers: asTrainee },
      { path: "/marking", headers: { Cookie: marker } },
    ].map((r) => ({ method: "GET" as const, ...r }));
    for (const r of requests) {
      const res = await fetch(`${base}${r.path}`, { headers: r.headers });
      if (res.status !== 200) throw new Error(`${r.path} answered ${res.status}`);
      await res.arrayBuffer();
    }

    const samples: { s: number; rssMb: number }[] = [{ s: 0, rssMb: rssMb(app.pid) }];
    const t0 = Date.now();
    const sampler = setInterval(() => {
      samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMb: rssMb(app.pid) });
      process.stdout.write(`${samples.at(-1)?.s}s ${samples.at(-1)?.rssMb} MB\n`);
    }, SAMPLE_SECONDS * 1000);
    const r = await autocannon({ url: base, connections: CONNECTIONS, duration: SECONDS, requests });
    clearInterval(sampler);
    samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMb: rssMb(app.pid) });

    const peak = Math.max(...samples.map((x) => x.rssMb));
    const half = samples.find((x) => x.s >= SECONDS / 2) ?? samples[0];
    const last = samples.at(-1) ?? half;
    const lastHalfGrowth = half && last ? (last.rssMb - half.rssMb) / half.rssMb : 0;
    const summary = {
      date: new Date().toISOString(),
      seconds: SECONDS,
      connections: CONNECTIONS,
      node: process.version,
      nodeFlags: flags,
      mix: requests.map((x) => x.path),
      requests: r.requests.total,
      rps: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      samples,
      peakRssMb: peak,
      lastHalfGrowthPercent: Math.round(lastHalfGrowth * 1000) / 10,
      targets: { peakUnderMb: 300, lastHalfGrowthUnderPercent: 10 },
      met: peak < 300 && lastHalfGrowth < 0.1 && r.non2xx === 0 && r.errors === 0,
    };
    console.log(
      `\n${summary.requests} requests, ${summary.rps} req/s, p50 ${summary.p50} ms, p99 ${summary.p99} ms, ` +
        `errors ${summary.errors}, non-2xx ${summary.non2xx}\nRSS ${samples[0]?.rssMb} MB at start, ${half?.rssMb} MB at ${half?.s} s, ` +
        `${last?.rssMb} MB at the end; peak ${peak} MB (target < 300); last half grew ${summary.lastHalfGrowthPercent} % (target < 10 %); ` +
        `targets ${summary.met ? "MET" : "NOT MET"}`,
    );
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(path.join("bench/results", `soak-${summary.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(summary, null, 2));
  } finally {
    app.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
