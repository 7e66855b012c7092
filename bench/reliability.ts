// Benchmark: the reliability page's statistics over 1,000 double-rated recordings × 12 items, beside a plain pass
// that only reads the same rows, in the same run (docs/benchmarks.md, "Reliability page").
//
// A fresh SQLite file and a fresh PostgreSQL database are migrated and filled with 1,000 recordings, each rated by
// two of 6 raters (PROVISIONAL, SUBMITTED) and with a final rating (DERIVED, or MODERATED for a share), every
// rating scoring all 12 items of a bench copy of the default framework (every item applicable to every phase):
// 36,000 ItemScore rows. Then, alternating rounds:
//   read  = reliabilityRows (the one statement the page runs) and nothing else;
//   stats = reliabilityReport over those rows (ICC per item, kappa per pair, severity, drift);
//   page  = the /reliability route loader, signed in as an admin (session, rows, statistics, names), SQLite.
//
//   npm run bench:reliability                      (BENCH_RECORDINGS=1000, BENCH_ROUNDS=10)
//   PG_BENCH_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:reliability   (server for the scratch database)
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

const RECORDINGS = Number(process.env.BENCH_RECORDINGS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const RATERS = 6;
const PG_SERVER = process.env.PG_BENCH_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

// The app reads its settings once: point them at a scratch SQLite file and a content folder holding the bench
// framework before anything is imported.
const work = mkdtempSync(path.join(tmpdir(), "attune-bench-reliability-"));
const sqliteUrl = `file:${path.join(work, "bench.db")}`;
mkdirSync(path.join(work, "content", "frameworks"), { recursive: true });
const raw = parseYaml(readFileSync("content/frameworks/dit-competence-v1.yaml", "utf8")) as {
  id: string;
  items: { phases: string[] }[];
};
raw.id = "bench-competence";
for (const item of raw.items) item.phases = ["initial", "middle", "ending"];
writeFileSync(path.join(work, "content", "frameworks", "bench-competence-v1.yaml"), stringifyYaml(raw));
Object.assign(process.env, { DATABASE_URL: sqliteUrl, CONTENT_DIR: path.join(work, "content"), NODE_ENV: "test", LOG_REQUESTS: "false" });

const { createPrisma, getDb } = await import("#app/db.server");
const { getFramework } = await import("#app/content.server/frameworks.server");
const { reliabilityRows } = await import("#app/models/reliability.server");
const { reliabilityReport } = await import("#app/domain/reliability-report");
const { createActiveUser } = await import("#app/models/user.server");
const { lucia } = await import("#app/auth/lucia.server");
const reliabilityPage = await import("#app/routes/reliability");
type Db = ReturnType<typeof createPrisma>;

const framework = getFramework("bench-competence", 1);
if (framework?.items.length !== 12) throw new Error("the bench framework did not load with 12 items");

function deploy(url: string) {
  execFileSync("node", ["scripts/db-deploy.mjs"], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
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

/** 1,000 double-rated recordings of role-plays by 50 trainees, rated by pairs of 6 raters over a year. */
async function fill(db: Db) {
  const fw = framework as NonNullable<typeof framework>;
  const trainees: string[] = [];
  const raters: string[] = [];
  for (let i = 0; i < 50; i++)
    trainees.push((await db.user.create({ data: { email: `t${i}@bench.test`, name: `Trainee ${i}`, searchKey: `t${i}` } })).id);
  for (let i = 0; i < RATERS; i++)
    raters.push((await db.user.create({ data: { email: `r${i}@bench.test`, name: `Rater ${i}`, searchKey: `r${i}` } })).id);
  const consents = await Promise.all(
    trainees.map((t) =>
      db.consentAttestation.create({
        data: { attestedById: t, consentOn: new Date("2026-01-01"), method: "WRITTEN_FORM", forSupervision: false, forAssessment: true },
      }),
    ),
  );
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const clamp = (x: number) => Math.max(0, Math.min(6, Math.round(x)));
  const BATCH = 100;
  for (let start = 0; start < RECORDINGS; start += BATCH) {
    const recordings = [];
    const assignments = [];
    const ratings = [];
    const scores = [];
    const assessments = [];
    for (let n = start; n < Math.min(RECORDINGS, start + BATCH); n++) {
      const owner = n % trainees.length;
      const at = new Date(Date.UTC(2026, 0, 1) + n * 8 * 3600_000);
      const id = `bench-rec-${n}`;
      recordings.push({
        id,
        ownerId: trainees[owner] as string,
        kind: "ROLE_PLAY" as const,
        consentId: consents[owner]?.id as string,
        status: "PURGED" as const,
        uploadId: `bench-upload-${n}`,
        store: "fs",
        declaredSize: 1,
        deleteAfter: at,
      });
      const theta = 1.5 + random() * 3.5;
      const pair = [raters[n % RATERS], raters[(n + 1 + (n % 3)) % RATERS]] as string[];
      const moderated = n % 4 === 0;
      for (const [k, rater] of pair.entries()) {
        const role = k === 0 ? ("PRIMARY" as const) : ("SECOND" as const);
        assignments.push({ id: `${id}-a${k}`, recordingId: id, raterId: rater, role, purpose: "SUMMATIVE" as const, assignedById: rater });
        ratings.push({
          id: `${id}-r${k}`,
          assignmentId: `${id}-a${k}`,
          recordingId: id,
          raterId: rater,
          kind: "PROVISIONAL" as const,
          status: "SUBMITTED" as const,
          frameworkId: fw.id,
          frameworkVersion: 1,
          submittedAt: at,
        });
      }
      ratings.push({
        id: `${id}-f`,
        assignmentId: null,
        recordingId: id,
        raterId: moderated ? (raters[0] as string) : null,
        kind: moderated ? ("MODERATED" as const) : ("DERIVED" as const),
        status: "SUBMITTED" as const,
        frameworkId: fw.id,
        frameworkVersion: 1,
        submittedAt: at,
      });
      for (const [i, item] of fw.items.entries()) {
        const truth = theta + (i % 3) * 0.3 - 0.3;
        const a = clamp(truth + (random() - 0.5) * 2);
        const b = clamp(truth + (random() - 0.5) * 2);
        scores.push({ ratingId: `${id}-r0`, recordingId: id, raterId: pair[0] as string, itemId: item.id, score: a });
        scores.push({ ratingId: `${id}-r1`, recordingId: id, raterId: pair[1] as string, itemId: item.id, score: b });
        scores.push({ ratingId: `${id}-f`, recordingId: id, raterId: null, itemId: item.id, score: Math.floor((a + b) / 2) });
      }
      assessments.push({
        recordingId: id,
        frameworkId: fw.id,
        frameworkVersion: 1,
        secondRaterRequired: true,
        state: "FINAL" as const,
        finalRatingId: `${id}-f`,
        decidedBy: moderated ? ("MODERATED" as const) : ("DERIVED" as const),
        finalizedAt: at,
        releasedAt: at,
      });
    }
    await db.recording.createMany({ data: recordings });
    await db.ratingAssignment.createMany({ data: assignments });
    await db.rating.createMany({ data: ratings });
    await db.itemScore.createMany({ data: scores });
    await db.recordingAssessment.createMany({ data: assessments });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] as number;
};
async function time<T>(f: () => Promise<T> | T): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

async function main() {
  const pgName = `attune_d_bench_${randomBytes(4).toString("hex")}`;
  const targets: { name: string; db: Db; drop: () => Promise<void> }[] = [];
  try {
    deploy(sqliteUrl);
    const sqlite = getDb();
    targets.push({ name: "SQLite", db: sqlite, drop: async () => {} });
    let pgUrl: string | null = null;
    try {
      await admin(`CREATE DATABASE "${pgName}"`);
      const u = new URL(PG_SERVER);
      u.pathname = `/${pgName}`;
      pgUrl = u.toString();
      deploy(pgUrl);
      const db = createPrisma(pgUrl);
      targets.push({
        name: "PostgreSQL",
        db,
        drop: async () => {
          await db.$disconnect();
          await admin(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
        },
      });
    } catch (error) {
      console.error(`PostgreSQL skipped: ${(error as Error).message}`);
    }
    for (const t of targets) {
      const [ms] = await time(() => fill(t.db));
      console.error(`${t.name}: filled ${RECORDINGS} recordings in ${Math.round(ms)} ms`);
    }
    const made = await createActiveUser(sqlite, {
      email: "admin@bench.test",
      name: "Bench Admin",
      roles: ["ADMIN"],
      password: "bench-password-1234",
    });
    if (!made.ok) throw new Error("no admin");
    const session = await lucia().createSession(made.userId, {});
    const page = async () => {
      const request = new Request("http://localhost/reliability?framework=bench-competence&version=1", {
        headers: { Cookie: `attune_session=${session.id}` },
      });
      const out = await reliabilityPage.loader({
        request,
        params: {},
        context: { cspNonce: "x", clientIp: "127.0.0.1", appUrl: "http://localhost" },
      } as never);
      return out;
    };

    const fw = framework as NonNullable<typeof framework>;
    const results = new Map<string, { read: number[]; stats: number[]; rows: number }>();
    let pageTimes: number[] = [];
    // Warm-up: connections, prepared statements, JIT.
    for (const t of targets) reliabilityReport(fw, await reliabilityRows(t.db, fw));
    await page();
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        const [read, rows] = await time(() => reliabilityRows(t.db, fw));
        const [stats] = await time(() => reliabilityReport(fw, rows));
        const r = results.get(t.name) ?? { read: [], stats: [], rows: rows.length };
        r.read.push(read);
        r.stats.push(stats);
        results.set(t.name, r);
      }
      const [ms] = await time(page);
      pageTimes = [...pageTimes, ms];
    }
    // How fast this machine is right now: better-sqlite3 alone scanning the same 36,000 item-score rows, no Prisma,
    // no joins (the floor any SQLite read of these rows stands on; the machine is shared, so compare within a run).
    const { default: BetterSqlite3 } = await import("better-sqlite3");
    const bare = new BetterSqlite3(sqliteUrl.slice("file:".length), { readonly: true });
    const scan = bare.prepare(`SELECT "ratingId", "itemId", "score" FROM "ItemScore"`);
    const scans: number[] = [];
    for (let i = 0; i < ROUNDS; i++) scans.push((await time(() => scan.all()))[0]);
    bare.close();
    const check = reliabilityReport(fw, await reliabilityRows(sqlite, fw));
    console.log(
      `\n${RECORDINGS} double-rated recordings × ${fw.items.length} items, ${RATERS} raters; ${ROUNDS} rounds; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}; ICC(1,1) of the first item ${check.items[0]?.icc.value.toFixed(3)}, ${check.pairs.length} rater pairs\n`,
    );
    console.log("| database | rows read | read (median / p95 ms) | statistics (median / p95 ms) | statistics ÷ read |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (const [name, r] of results) {
      console.log(
        `| ${name} | ${r.rows} | ${median(r.read).toFixed(1)} / ${p95(r.read).toFixed(1)} | ${median(r.stats).toFixed(1)} / ${p95(r.stats).toFixed(1)} | ${(median(r.stats) / median(r.read)).toFixed(2)} |`,
      );
    }
    console.log(
      `\nbare better-sqlite3 scan of the ${RECORDINGS * 36} ItemScore rows (machine speed now): median ${median(scans).toFixed(1)} ms`,
    );
    console.log(
      `/reliability loader on SQLite (session, rows, statistics, names): median ${median(pageTimes).toFixed(1)} ms, p95 ${p95(pageTimes).toFixed(1)} ms`,
    );
  } finally {
    for (const t of targets) await t.drop();
    await getDb().$disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
