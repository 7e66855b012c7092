// Benchmark: concurrent audited appends on SQLite and on PostgreSQL, side by
// side in one run. Each database is fresh and migrated; WRITERS async writers
// in this process each loop `recordAuditEvent` (its own transaction, as a
// sign-in or a playback would) until the time is up. Rounds alternate between
// the databases, so a slow moment of the shared machine hits both alike.
// Afterwards the whole log is verified.
//
//   npm run bench:audit-append                        (5 s per database per round, 2 rounds, 25 writers)
//   BENCH_SECONDS=2 BENCH_ROUNDS=1 npm run bench:audit-append
//   PG_BENCH_URL=postgresql://postgres@127.0.0.1:5432/postgres   (server to create the scratch database on)
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrisma, type Db } from "#app/db.server";
import { recordAuditEvent, verifyAuditChain } from "#app/models/audit.server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 25);
const PG_SERVER = process.env.PG_BENCH_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

type Target = { name: string; db: Db; drop: () => Promise<void> };
type Tally = { appends: number; retries: number; failures: number; ms: number };

function deploy(url: string) {
  execFileSync("node", ["scripts/db-deploy.mjs"], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-audit-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  deploy(url);
  const db = createPrisma(url);
  return {
    name: "SQLite",
    db,
    drop: async () => {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function admin(sql: string) {
  const server = new URL(PG_SERVER);
  const client = new pg.Client({
    host: server.hostname,
    port: Number(server.port || 5432),
    user: decodeURIComponent(server.username),
    database: "postgres",
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function postgresTarget(): Promise<Target> {
  const name = `attune_d_bench_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  url.searchParams.set("connection_limit", String(WRITERS));
  deploy(url.toString());
  const db = createPrisma(url.toString());
  return {
    name: "PostgreSQL",
    db,
    drop: async () => {
      await db.$disconnect();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function run(db: Db, seconds: number): Promise<Tally> {
  const tally: Tally = { appends: 0, retries: 0, failures: 0, ms: 0 };
  const start = performance.now();
  const until = start + seconds * 1000;
  const onRetry = () => {
    tally.retries++;
  };
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let n = 0; performance.now() < until; n++) {
        try {
          await recordAuditEvent(db, { type: "bench.append", actorId: `writer-${writer}`, subjectId: null, data: { n } }, { onRetry });
          tally.appends++;
        } catch {
          tally.failures++;
        }
      }
    }),
  );
  tally.ms = performance.now() - start;
  return tally;
}

async function main() {
  const targets = [await sqliteTarget(), await postgresTarget()];
  const totals = new Map<string, Tally>(targets.map((t) => [t.name, { appends: 0, retries: 0, failures: 0, ms: 0 }]));
  try {
    for (const t of targets) await run(t.db, 0.5); // warm-up: connections, prepared statements
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of targets) {
        const r = await run(t.db, SECONDS);
        const total = totals.get(t.name) as Tally;
        for (const k of ["appends", "retries", "failures", "ms"] as const) total[k] += r[k];
        console.error(
          `round ${round} ${t.name}: ${Math.round((r.appends / r.ms) * 1000)} appends/s, ${r.retries} retries, ${r.failures} failures`,
        );
      }
    }
    console.log(
      `\n${WRITERS} writers, ${SECONDS} s per database per round, ${ROUNDS} rounds, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}\n`,
    );
    console.log("| database | appends/s | appends | retries | retries per append | failed appends | lanes used | audit:verify |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const t of targets) {
      const total = totals.get(t.name) as Tally;
      const report = await verifyAuditChain(t.db);
      const verdict = report.broken ? `BROKEN at #${report.broken.id}` : `intact (${report.checked})`;
      console.log(
        `| ${t.name} | ${Math.round((total.appends / total.ms) * 1000)} | ${total.appends} | ${total.retries} | ${(total.retries / Math.max(1, total.appends)).toFixed(2)} | ${total.failures} | ${report.heads.length} | ${verdict} |`,
      );
    }
  } finally {
    for (const t of targets) await t.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
