// Benchmark: public verification. Two parts, on the production server (`node build/server.js` with start:prod's
// node flags), SQLite, loopback only, bounded:
//
// 1. The JSON verification API (/api/v1/certificates/{code}, cycling through 200 real codes) against /healthz (a
//    route with one database round trip), interleaved in rounds, 32 connections. Target: ≥ 0.8× healthz's req/s.
//    The rate limiter runs on every request, as in production, with a limit no bench client reaches
//    (VERIFY_RATE_LIMIT=1000000000): what is measured is its cost (one upsert), not its refusals.
// 2. Bulk verification: a CSV of 10,000 codes (half real) uploaded as an accreditor and the results CSV read as a
//    stream. Target: < 5 s, with flat memory — the server's RSS peak over its idle RSS is measured for 1,000 and for
//    10,000 rows; streaming means ten times the rows costs no more memory.
//
//   npm run build && npm run bench:verify              (10 s per target in 2 rounds, 32 connections; bulk 3 runs)
//   BENCH_SECONDS=4 npm run bench:verify               (quicker)
//   BENCH_CONNECTIONS=1 npm run bench:verify           (per-request cost without queueing)
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createPrisma } from "#app/db.server";
import { CODE_RANDOM_BYTES, generateCertificateCode } from "#app/domain/certificate-code";
import { TEST_CREDENTIAL_KEYS } from "../test/support/test-keys";
import { cpuMs, rssMb, signIn, startProdFlags, waitForLine } from "./harness";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BULK_RUNS = Number(process.env.BENCH_BULK_RUNS ?? 3);
const CERTIFICATES = 5_000;
const BULK_ROWS = 10_000;
const PASSWORD = "bench passphrase 2026";

type Result = { name: string; rps: number; cpuMsPerRequest: number; p50: number; p99: number; errors: number; non2xx: number };

async function load(name: string, base: string, paths: string[], duration: number, pid?: number): Promise<Result> {
  const before = cpuMs(pid);
  const r = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration,
    requests: paths.map((p) => ({ method: "GET", path: p })),
  });
  const cpu = cpuMs(pid) - before;
  return {
    name,
    rps: Math.round(r.requests.average),
    cpuMsPerRequest: Math.round((100 * cpu) / Math.max(1, r.requests.total)) / 100,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/** Certificates straight into the table (what is measured is reading them): codes, a holder, the fields verifiers see. */
async function makeCertificates(databaseUrl: string): Promise<string[]> {
  const db = createPrisma(databaseUrl);
  try {
    const holder = await db.user.findUniqueOrThrow({ where: { email: "trainee@attune.test" }, select: { id: true } });
    const issuer = await db.user.findUniqueOrThrow({ where: { email: "admin@attune.test" }, select: { id: true } });
    const codes = new Set<string>();
    while (codes.size < CERTIFICATES) codes.add(generateCertificateCode(randomBytes(CODE_RANDOM_BYTES)));
    const all = [...codes];
    // Status-list indexes the seed's own certificates do not hold (theirs are random).
    const taken = await db.certificate.findMany({ select: { revocationIndex: true, suspensionIndex: true } });
    const busy = new Set(taken.flatMap((t) => [t.revocationIndex, t.suspensionIndex]));
    const free: number[] = [];
    for (let n = 0; free.length < all.length; n++) if (!busy.has(n)) free.push(n);
    for (let i = 0; i < all.length; i += 500) {
      await db.certificate.createMany({
        data: all.slice(i, i + 500).map((code, j) => ({
          code,
          holderId: holder.id,
          holderName: `Bench Practitioner ${i + j}`,
          registrationBody: "BACP",
          registrationNumber: `MBACP ${100000 + i + j}`,
          pathwayId: "dit-practitioner",
          pathwayVersion: 1,
          credentialName: "DIT Practitioner",
          issuerName: "Attune",
          evidence: "{}",
          evidenceHash: "0".repeat(64),
          issuedById: issuer.id,
          issuedAt: new Date("2026-06-01T00:00:00Z"),
          expiresAt: new Date("2030-06-01T00:00:00Z"),
          status: (i + j) % 10 === 0 ? "REVOKED" : "ACTIVE",
          revocationIndex: free[i + j] as number,
          suspensionIndex: free[i + j] as number,
          onRegister: (i + j) % 2 === 0,
        })),
      });
    }
    return all;
  } finally {
    await db.$disconnect();
  }
}

type Bulk = { rows: number; ms: number; firstByteMs: number; peakRssMb: number; idleRssMb: number };

/** Uploads a CSV of `rows` codes and reads the answer as it streams, sampling the server's RSS meanwhile. */
async function bulk(base: string, cookie: string, codes: string[], rows: number, pid: number | undefined): Promise<Bulk> {
  const lines = ["code"];
  for (let i = 0; i < rows; i++) lines.push(i % 2 === 0 ? (codes[i % codes.length] as string) : `ATN-2222-${"23456789".charAt(i % 8)}ZZZ`);
  const form = new FormData();
  form.append("file", new Blob([`${lines.join("\r\n")}\r\n`], { type: "text/csv" }), "codes.csv");
  const idleRssMb = rssMb(pid);
  let peakRssMb = idleRssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(pid));
  }, 20);
  const started = performance.now();
  try {
    const res = await fetch(`${base}/accreditor/bulk.csv`, { method: "POST", headers: { Cookie: cookie, Accept: "text/csv" }, body: form });
    const firstByteMs = performance.now() - started;
    if (res.status !== 200 || !res.body) throw new Error(`bulk answered ${res.status}: ${await res.text()}`);
    let answered = -1;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      answered += (decoder.decode(chunk, { stream: true }).match(/\r\n/g) ?? []).length;
    }
    const ms = performance.now() - started;
    if (answered !== rows) throw new Error(`bulk answered ${answered} rows of ${rows}`);
    return { rows, ms: Math.round(ms), firstByteMs: Math.round(firstByteMs), peakRssMb, idleRssMb };
  } finally {
    clearInterval(sampler);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-verify-"));
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_REQUESTS: "false",
    SERVER_TIMING: "true",
    SEED_PASSWORD: PASSWORD,
    // The limiter counts every request; no bench client may reach the limit (see the header comment).
    VERIFY_RATE_LIMIT: "1000000000",
  };
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: "ignore" });
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...env, NODE_ENV: "test" }, stdio: "ignore" });
  const codes = await makeCertificates(databaseUrl);
  let server: ChildProcess | undefined;
  try {
    server = spawn("node", [...startProdFlags().split(" ").filter(Boolean), "build/server.js"], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = Number((await waitForLine(server, /"port":(\d+)/))[1]);
    const base = `http://127.0.0.1:${port}`;
    const pid = server.pid;
    const apiPaths = codes.slice(0, 200).map((c) => `/api/v1/certificates/${c}`);
    const probe = await fetch(`${base}${apiPaths[0]}`);
    const apiQueries = Number(probe.headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN);
    if (probe.status !== 200) throw new Error(`the API answered ${probe.status}`);
    const healthProbe = await fetch(`${base}/healthz`);
    const healthQueries = Number(healthProbe.headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN);

    // Warm-up (JIT), unmeasured.
    await load("warm-up", base, ["/healthz"], 1);
    await load("warm-up", base, apiPaths, 1);
    const rounds: Result[][] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push([
        await load("/healthz (one database round trip)", base, ["/healthz"], SECONDS / ROUNDS, pid),
        await load("/api/v1/certificates/{code} (rate limit + lookup)", base, apiPaths, SECONDS / ROUNDS, pid),
      ]);
    }
    const combine = (k: number): Result => {
      const rs = rounds.map((r) => r[k] as Result);
      const mean = (f: (r: Result) => number) => Math.round(rs.reduce((a, r) => a + f(r), 0) / rs.length);
      return {
        name: rs[0]?.name ?? "",
        rps: mean((r) => r.rps),
        cpuMsPerRequest: Math.round((100 * rs.reduce((a, r) => a + r.cpuMsPerRequest, 0)) / rs.length) / 100,
        p50: mean((r) => r.p50),
        p99: Math.max(...rs.map((r) => r.p99)),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      };
    };
    const [health, api] = [combine(0), combine(1)];
    const ratio = Math.round((api.rps / health.rps) * 100) / 100;
    const ratioByCpu = Math.round((health.cpuMsPerRequest / api.cpuMsPerRequest) * 100) / 100;

    const cookie = await signIn(base, "accreditor@attune.test", PASSWORD);
    await bulk(base, cookie, codes, 500, pid); // warm-up
    const small: Bulk[] = [];
    const large: Bulk[] = [];
    for (let i = 0; i < BULK_RUNS; i++) {
      small.push(await bulk(base, cookie, codes, 1_000, pid));
      large.push(await bulk(base, cookie, codes, BULK_ROWS, pid));
    }
    const growth = (runs: Bulk[]) => median(runs.map((r) => r.peakRssMb - r.idleRssMb));
    const bulkMs = median(large.map((r) => r.ms));
    const summary = {
      date: new Date().toISOString(),
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      node: process.version,
      queriesPerRequest: { api: apiQueries, healthz: healthQueries },
      results: [health, api],
      apiVsHealthz: ratio,
      apiVsHealthzByCpu: ratioByCpu,
      bulk: {
        rows: BULK_ROWS,
        medianMs: bulkMs,
        medianFirstByteMs: median(large.map((r) => r.firstByteMs)),
        rssGrowthMb: { rows1000: growth(small), rows10000: growth(large) },
        runs: { rows1000: small, rows10000: large },
      },
      targets: { ratioAtLeast: 0.8, bulkUnderMs: 5000 },
      met: {
        ratio: ratio >= 0.8 && api.non2xx === 0 && api.errors === 0,
        bulkTime: bulkMs < 5000,
        flatMemory: growth(large) <= growth(small) + 16,
      },
    };
    console.log(
      "\n| target | req/s | server CPU ms/req | p50 ms | p99 ms | errors | non-2xx |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const r of summary.results) {
      console.log(`| ${r.name} | ${r.rps} | ${r.cpuMsPerRequest} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`);
    }
    console.log(
      `\nAPI / healthz = ${ratio} by req/s, ${ratioByCpu} by server CPU per request (target ≥ 0.8); queries per request: API ${apiQueries}, healthz ${healthQueries}`,
    );
    console.log("\n| bulk upload | median ms | first byte ms | server RSS idle → peak (MB), median growth |\n| --- | ---: | ---: | --- |");
    for (const [label, runs] of [
      ["1,000 codes", small],
      ["10,000 codes", large],
    ] as const) {
      const last = runs.at(-1) as Bulk;
      console.log(
        `| ${label} | ${median(runs.map((r) => r.ms))} | ${median(runs.map((r) => r.firstByteMs))} | ${last.idleRssMb} → ${last.peakRssMb}, +${growth(runs)} |`,
      );
    }
    console.log(
      `\ntargets: ratio ${summary.met.ratio ? "MET" : "NOT MET"}; bulk < 5 s ${summary.met.bulkTime ? "MET" : "NOT MET"}; flat memory ${summary.met.flatMemory ? "MET" : "NOT MET"}`,
    );
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(path.join("bench/results", `verify-${summary.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(summary, null, 2));
  } finally {
    server?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
