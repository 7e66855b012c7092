// Benchmark: a real module page as a signed-in trainee, against two baselines
// in the same run — the app's cheapest HTML route (the login page) and a bare
// node:http server returning the module page's bytes. Loopback only, bounded.
//
//   npm run build && npm run bench:module-page           (10 s per target, 32 connections)
//   BENCH_SECONDS=3 npm run bench:module-page             (quicker)
//   BENCH_CONNECTIONS=1 npm run bench:module-page         (one connection: per-request cost without queueing)
//   BENCH_PROFILE=1 npm run bench:module-page             (server runs under `node --cpu-prof`; profile in bench/results/)
//   BENCH_BASELINE_DIR=/tmp/before npm run bench:module-page   (also measures the build in /tmp/before/build, same rounds)
// A signed-in light page (the glossary) is measured too: the signed-in floor.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { TEST_CREDENTIAL_KEYS } from "../test/support/test-keys";
import { cpuMs, rssMb, waitForLine } from "./harness";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Each target's time is split into interleaved rounds, so a slow moment of a shared machine hits all three alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MODULE = process.env.BENCH_MODULE ?? "the-ipaf";
const PASSWORD = "bench passphrase 2026";

type Result = {
  name: string;
  rps: number;
  cpuMsPerRequest: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  bytes: number;
};

/**
 * Loads one URL; besides throughput, the server's own CPU time per request (less sensitive than req/s to
 * what else the shared machine is running, since time spent waiting for a core is not counted).
 */
async function load(
  name: string,
  url: string,
  headers: Record<string, string> = {},
  duration = SECONDS / ROUNDS,
  pid?: number,
): Promise<Result> {
  const cpuBefore = cpuMs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  const cpu = cpuMs(pid) - cpuBefore;
  return {
    name,
    cpuMsPerRequest: Math.round((100 * cpu) / Math.max(1, r.requests.total)) / 100,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
  };
}

type App = { child: ChildProcess; base: string; cookie: string; label: string };

/** Starts a production server (`node build/server.js` in `cwd`) on its own copy of the seeded database and signs in. */
async function startApp(cwd: string, label: string, env: NodeJS.ProcessEnv, nodeArgs: string[]): Promise<App> {
  const child = spawn("node", [...nodeArgs, "build/server.js"], { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  const port = Number((await waitForLine(child, /"port":(\d+)/))[1]);
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "trainee@attune.test", password: PASSWORD }),
  });
  const cookie = login.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
  await fetch(`${base}/modules/${MODULE}`, { headers: { Cookie: cookie } }); // first view records "started"
  return { child, base, cookie, label };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-"));
  const dbFile = path.join(dir, "bench.db");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    // Credential signing keys: the fixed test ones (a production server refuses to start without keys).
    CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
    DATABASE_URL: `file:${dbFile}`,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_REQUESTS: "false",
    SERVER_TIMING: "true",
    SEED_PASSWORD: PASSWORD,
  };
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: "ignore" });
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...env, NODE_ENV: "test" }, stdio: "ignore" });
  // BENCH_BASELINE_DIR: a directory holding another build/ (and a node_modules link) — e.g. a copy of the
  // build before a change — measured in the same interleaved rounds, on its own copy of the database.
  const baselineDir = process.env.BENCH_BASELINE_DIR;
  if (baselineDir) copyFileSync(dbFile, path.join(dir, "baseline.db"));
  // The production server bundle, as `npm start` runs it (no TypeScript loader in the request path).
  const profileDir = path.resolve("bench/results");
  const nodeArgs = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const apps: App[] = [];
  let bare: ChildProcess | undefined;
  try {
    apps.push(await startApp(process.cwd(), "", env, nodeArgs));
    if (baselineDir) {
      const baselineEnv = { ...env, DATABASE_URL: `file:${path.join(dir, "baseline.db")}` };
      apps.push(await startApp(path.resolve(baselineDir), " [baseline]", baselineEnv, []));
    }
    const main = apps[0] as App;
    const pageUrl = `${main.base}/modules/${MODULE}`;
    const probe = await fetch(pageUrl, { headers: { Cookie: main.cookie } });
    const html = await probe.text();
    if (probe.status !== 200) throw new Error(`module page answered ${probe.status}`);
    const queries = Number(probe.headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN);
    const glossary = await fetch(`${main.base}/glossary`, { headers: { Cookie: main.cookie } });
    if (glossary.status !== 200) throw new Error(`glossary answered ${glossary.status}`);
    const glossaryQueries = Number(glossary.headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN);
    const loginQueries = Number(
      (await fetch(`${main.base}/login`)).headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN,
    );

    const bodyFile = path.join(dir, "page.html");
    writeFileSync(bodyFile, html);
    bare = spawn("node", ["bench/bare-server.mjs", bodyFile], { stdio: ["ignore", "pipe", "inherit"] });
    const barePort = Number((await waitForLine(bare, /"port":(\d+)/))[1]);

    // Warm-up (JIT, caches): every target once, unmeasured.
    for (const app of apps) {
      for (const p of ["/login", `/modules/${MODULE}`, "/glossary"]) await load("warm-up", `${app.base}${p}`, { Cookie: app.cookie }, 1);
    }
    const rssBefore = rssMb(main.child.pid);
    const rounds: Result[][] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round: Result[] = [];
      for (const app of apps) {
        const pid = app.child.pid;
        const signedIn = { Cookie: app.cookie };
        round.push(await load(`login page (app floor)${app.label}`, `${app.base}/login`, {}, undefined, pid));
        round.push(
          await load(`module page /modules/${MODULE} (signed in)${app.label}`, `${app.base}/modules/${MODULE}`, signedIn, undefined, pid),
        );
        round.push(await load(`glossary (signed in, light)${app.label}`, `${app.base}/glossary`, signedIn, undefined, pid));
      }
      round.push(await load("bare node:http, same bytes", `http://127.0.0.1:${barePort}/`));
      rounds.push(round);
    }
    const rssAfter = rssMb(main.child.pid);
    // Requests/s and p50 averaged over the rounds; p99 is the worst round's.
    const combine = (k: number): Result => {
      const rs = rounds.map((r) => r[k] as Result);
      const mean = (f: (r: Result) => number) => Math.round(rs.reduce((a, r) => a + f(r), 0) / rs.length);
      return {
        name: rs[0]?.name ?? "",
        rps: mean((r) => r.rps),
        cpuMsPerRequest: Math.round(100 * (rs.reduce((a, r) => a + r.cpuMsPerRequest, 0) / rs.length)) / 100,
        p50: mean((r) => r.p50),
        p99: Math.max(...rs.map((r) => r.p99)),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
        bytes: mean((r) => r.bytes),
      };
    };
    const results = (rounds[0] ?? []).map((_, k) => combine(k));
    const [floor, page, light] = results as [Result, Result, Result];
    const physical = results[results.length - 1] as Result;
    const ratio = page.rps / floor.rps;
    const lightRatio = light.rps / floor.rps;
    const ratioTarget = CONNECTIONS === 1 ? 0.9 : 0.8;
    const baseline = baselineDir
      ? {
          dir: baselineDir,
          moduleVsFloor: Math.round(((results[4] as Result).rps / (results[3] as Result).rps) * 100) / 100,
          glossaryVsFloor: Math.round(((results[5] as Result).rps / (results[3] as Result).rps) * 100) / 100,
          cpuMsPerRequest: results.slice(3, 6).map((r) => r.cpuMsPerRequest),
          loginSpeedup: Math.round((floor.rps / (results[3] as Result).rps) * 100) / 100,
          moduleSpeedup: Math.round((page.rps / (results[4] as Result).rps) * 100) / 100,
          glossarySpeedup: Math.round((light.rps / (results[5] as Result).rps) * 100) / 100,
        }
      : undefined;
    const summary = {
      date: new Date().toISOString(),
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      node: process.version,
      moduleQueriesPerRequest: queries,
      glossaryQueriesPerRequest: glossaryQueries,
      loginQueriesPerRequest: loginQueries,
      pageBytes: Buffer.byteLength(html),
      appRssMb: { before: rssBefore, after: rssAfter },
      results,
      moduleVsFloor: Math.round(ratio * 100) / 100,
      glossaryVsFloor: Math.round(lightRatio * 100) / 100,
      moduleVsBare: Math.round((page.rps / physical.rps) * 1000) / 1000,
      /** The same ratios from server CPU per request (login's CPU / the page's): robust to a busy machine. */
      byCpu: {
        moduleVsFloor: Math.round((floor.cpuMsPerRequest / page.cpuMsPerRequest) * 100) / 100,
        glossaryVsFloor: Math.round((floor.cpuMsPerRequest / light.cpuMsPerRequest) * 100) / 100,
      },
      baseline,
      targets: { ratioAtLeast: ratioTarget, queriesAtMost: 3 },
      met: ratio >= ratioTarget && queries <= 3 && page.non2xx === 0 && page.errors === 0 && light.non2xx === 0,
    };
    console.log(
      "\n| target | req/s | server CPU ms/req | p50 ms | p99 ms | bytes/resp | errors | non-2xx |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const r of results) {
      console.log(`| ${r.name} | ${r.rps} | ${r.cpuMsPerRequest || "–"} | ${r.p50} | ${r.p99} | ${r.bytes} | ${r.errors} | ${r.non2xx} |`);
    }
    console.log(
      `\nmodule page / login page = ${summary.moduleVsFloor} (target ≥ ${ratioTarget} at ${CONNECTIONS} connections); ` +
        `glossary / login page = ${summary.glossaryVsFloor}; module page / bare = ${summary.moduleVsBare}; ` +
        `queries per module page = ${queries} (target ≤ 3; glossary ${glossaryQueries}; login page ${loginQueries}); app RSS ${rssBefore} → ${rssAfter} MB; ` +
        `targets ${summary.met ? "MET" : "NOT MET"}`,
    );
    console.log(
      `by server CPU per request: module / login = ${summary.byCpu.moduleVsFloor}, glossary / login = ${summary.byCpu.glossaryVsFloor}`,
    );
    if (baseline) console.log(`baseline (${baselineDir}): ${JSON.stringify(baseline)}`);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(path.join("bench/results", `module-page-${summary.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(summary, null, 2));
  } finally {
    bare?.kill("SIGTERM");
    for (const app of apps) app.child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
