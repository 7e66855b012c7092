// Benchmark: two app processes appending audit events to one SQLite file at
// once — the setup in which SQLITE_BUSY_SNAPSHOT used to fail audited sign-ins.
// Each process runs BENCH_WRITERS writers for BENCH_SECONDS; each append reads
// its chain head first (as a sign-in reads the account), so a commit by the
// other process in between forces SQLITE_BUSY_SNAPSHOT and a retry.
//
//   npm run bench:audit-processes                 (2 processes × 5 writers, 5 s)
//   BENCH_PROCESSES=3 BENCH_SECONDS=3 npm run bench:audit-processes
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrisma } from "#app/db.server";
import { recordAuditEvent, verifyAuditChain } from "#app/models/audit.server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 5);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 2);

type Tally = { appends: number; retries: number; failures: number; errors: string[] };

async function child(url: string, name: string) {
  const db = createPrisma(url);
  const tally: Tally = { appends: 0, retries: 0, failures: 0, errors: [] };
  const until = Date.now() + SECONDS * 1000;
  const onRetry = () => {
    tally.retries++;
  };
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      while (Date.now() < until) {
        try {
          await recordAuditEvent(db, { type: "bench.process", actorId: `${name}-${writer}` }, { onRetry });
          tally.appends++;
        } catch (error) {
          tally.failures++;
          const e = error as { code?: string; meta?: unknown };
          if (tally.errors.length < 3) tally.errors.push(`${e.code ?? ""} ${JSON.stringify(e.meta ?? {})}`.slice(0, 300));
        }
      }
    }),
  );
  await db.$disconnect();
  process.stdout.write(JSON.stringify(tally));
}

function runChild(url: string, name: string): Promise<Tally> {
  return new Promise((resolve, reject) => {
    const p = spawn("node_modules/.bin/tsx", ["bench/audit-processes.ts", "--child", url, name], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Tally) : reject(new Error(`${name} exited ${code}`))));
  });
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-procs-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  try {
    execFileSync("node", ["scripts/db-deploy.mjs"], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
    const tallies = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => runChild(url, `p${i + 1}`)));
    const db = createPrisma(url);
    const report = await verifyAuditChain(db);
    await db.$disconnect();
    console.log(`\n${PROCESSES} processes × ${WRITERS} writers on one SQLite file, ${SECONDS} s\n`);
    console.log("| process | appends | appends/s | retries | failed appends |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    tallies.forEach((t, i) => {
      console.log(`| p${i + 1} | ${t.appends} | ${Math.round(t.appends / SECONDS)} | ${t.retries} | ${t.failures} |`);
    });
    const total = tallies.reduce((a, t) => ({ appends: a.appends + t.appends, failures: a.failures + t.failures }), {
      appends: 0,
      failures: 0,
    });
    console.log(
      `\nfailed: ${total.failures} of ${total.appends + total.failures} (${((100 * total.failures) / Math.max(1, total.appends + total.failures)).toFixed(1)} %); audit:verify ${report.broken ? `BROKEN at #${report.broken.id}` : `intact (${report.checked})`}`,
    );
    for (const t of tallies) for (const e of t.errors) console.log(`  e.g. ${e}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  child(process.argv[3] as string, process.argv[4] as string).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
