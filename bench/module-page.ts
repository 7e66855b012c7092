// Benchmark: a real module page as a signed-in trainee, against two baselines
// in the same run — the app's cheapest HTML route (the login page) and a bare
// node:http server returning the module page's bytes. Loopback only, bounded.
//
//   npm run build && npm run bench:module-page           (10 s per target, 32 connections)
//   BENCH_SECONDS=3 npm run bench:module-page             (quicker)
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Each target's time is split into interleaved rounds, so a slow moment of a shared machine hits all three alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MODULE = process.env.BENCH_MODULE ?? "the-ipaf";
const PASSWORD = "bench passphrase 2026";

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${out}`)), 30_000);
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024);
}

type Result = { name: string; rps: number; p50: number; p99: number; errors: number; non2xx: number; bytes: number };

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS / ROUNDS, headers });
  return {
    name,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
  };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_REQUESTS: "false",
    SERVER_TIMING: "true",
    SEED_PASSWORD: PASSWORD,
  };
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: "ignore" });
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...env, NODE_ENV: "test" }, stdio: "ignore" });
  // The production server bundle, as `npm start` runs it (no TypeScript loader in the request path).
  const app = spawn("node", ["build/server.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const port = Number((await waitForLine(app, /"port":(\d+)/))[1]);
  const base = `http://127.0.0.1:${port}`;
  let bare: ChildProcess | undefined;
  try {
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "trainee@attune.test", password: PASSWORD }),
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0];
    if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
    const pageUrl = `${base}/modules/${MODULE}`;
    await fetch(pageUrl, { headers: { Cookie: cookie } }); // first view records "started"
    const probe = await fetch(pageUrl, { headers: { Cookie: cookie } });
    const html = await probe.text();
    if (probe.status !== 200) throw new Error(`module page answered ${probe.status}`);
    const queries = Number(probe.headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN);
    const loginQueries = Number((await fetch(`${base}/login`)).headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN);

    const bodyFile = path.join(dir, "page.html");
    writeFileSync(bodyFile, html);
    bare = spawn("node", ["bench/bare-server.mjs", bodyFile], { stdio: ["ignore", "pipe", "inherit"] });
    const barePort = Number((await waitForLine(bare, /"port":(\d+)/))[1]);

    const rssBefore = rssMb(app.pid);
    const rounds: Result[][] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push([
        await load("login page (app floor)", `${base}/login`),
        await load(`module page /modules/${MODULE} (signed in)`, pageUrl, { Cookie: cookie }),
        await load("bare node:http, same bytes", `http://127.0.0.1:${barePort}/`),
      ]);
    }
    const rssAfter = rssMb(app.pid);
    // Requests/s and p50 averaged over the rounds; p99 is the worst round's.
    const combine = (k: number): Result => {
      const rs = rounds.map((r) => r[k] as Result);
      const mean = (f: (r: Result) => number) => Math.round(rs.reduce((a, r) => a + f(r), 0) / rs.length);
      return {
        name: rs[0]?.name ?? "",
        rps: mean((r) => r.rps),
        p50: mean((r) => r.p50),
        p99: Math.max(...rs.map((r) => r.p99)),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
        bytes: mean((r) => r.bytes),
      };
    };
    const [floor, page, physical] = [combine(0), combine(1), combine(2)] as [Result, Result, Result];
    const results = [floor, page, physical];
    const ratio = page.rps / floor.rps;
    const summary = {
      date: new Date().toISOString(),
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      node: process.version,
      moduleQueriesPerRequest: queries,
      loginQueriesPerRequest: loginQueries,
      pageBytes: Buffer.byteLength(html),
      appRssMb: { before: rssBefore, after: rssAfter },
      results,
      moduleVsFloor: Math.round(ratio * 100) / 100,
      moduleVsBare: Math.round((page.rps / physical.rps) * 1000) / 1000,
      targets: { ratioAtLeast: 0.5, p99UnderMs: 100, queriesAtMost: 3 },
      met: ratio >= 0.5 && page.p99 < 100 && queries <= 3 && page.non2xx === 0 && page.errors === 0,
    };
    console.log(
      "\n| target | req/s | p50 ms | p99 ms | bytes/resp | errors | non-2xx |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const r of results) console.log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.bytes} | ${r.errors} | ${r.non2xx} |`);
    console.log(
      `\nmodule page / login page = ${summary.moduleVsFloor} (target ≥ 0.5); module page / bare = ${summary.moduleVsBare}; ` +
        `queries per module page = ${queries} (target ≤ 3; login page ${loginQueries}); app RSS ${rssBefore} → ${rssAfter} MB; ` +
        `targets ${summary.met ? "MET" : "NOT MET"}`,
    );
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(path.join("bench/results", `module-page-${summary.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(summary, null, 2));
  } finally {
    bare?.kill("SIGTERM");
    app.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
