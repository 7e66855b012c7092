// The cohort progress grid, its CSV and an item-analysis page at scale: 500 trainees in one cohort, each with
// progress on all 12 modules and one completed attempt of every module quiz. Loopback only, bounded.
//
//   npm run build && npm run bench:at-scale              (BENCH_TRAINEES=N, BENCH_RUNS=N to change)
//
// Each URL is requested BENCH_RUNS times one after another (after one warm-up); reports the median and worst time
// to the last byte, the response size and the queries per request (Server-Timing). Target: each < 300 ms.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrisma } from "#app/db.server";
import { TEST_CREDENTIAL_KEYS } from "../test/support/test-keys";

const TRAINEES = Number(process.env.BENCH_TRAINEES ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const PASSWORD = "bench passphrase 2026";

type Quiz = { id: string; version: number; module?: string; questions: { id: string }[] };

async function seedAtScale(url: string) {
  const db = createPrisma(url);
  try {
    const curriculum = JSON.parse(readFileSync("build/content/curriculum.json", "utf8")) as {
      modules: { frontmatter: { id: string; version: number } }[];
      quizzes: Quiz[];
    };
    const cohort = await db.cohort.findFirstOrThrow();
    const trainer = await db.user.findUniqueOrThrow({ where: { email: "trainer@attune.test" } });
    const users = Array.from({ length: TRAINEES }, (_, i) => ({
      email: `scale-${String(i).padStart(4, "0")}@attune.test`,
      name: `Scale Trainee ${String(i).padStart(4, "0")}`,
      status: "ACTIVE" as const,
    }));
    await db.user.createMany({ data: users });
    const ids = (await db.user.findMany({ where: { email: { startsWith: "scale-" } }, select: { id: true } })).map((u) => u.id);
    await db.userRole.createMany({ data: ids.map((userId) => ({ userId, role: "TRAINEE" as const })) });
    await db.cohortMember.createMany({
      data: ids.map((userId) => ({ cohortId: cohort.id, userId, role: "TRAINEE" as const, supervisorId: trainer.id })),
    });
    const now = Date.now();
    const progress = ids.flatMap((userId, u) =>
      curriculum.modules.map((m, k) => ({
        userId,
        moduleId: m.frontmatter.id,
        lastVersionSeen: m.frontmatter.version,
        ...((u + k) % 3 !== 0 ? { completedAt: new Date(now - (u + k) * 60_000), completedVersion: m.frontmatter.version } : {}),
      })),
    );
    for (let i = 0; i < progress.length; i += 2000) await db.moduleProgress.createMany({ data: progress.slice(i, i + 2000) });
    const quizzes = curriculum.quizzes.filter((q) => q.module);
    const attempts = ids.flatMap((userId, u) =>
      quizzes.map((q, k) => {
        const answers = Object.fromEntries(q.questions.map((x, j) => [x.id, (u + j + k) % 2 === 0 ? "a" : "b"]));
        return {
          userId,
          quizId: q.id,
          quizVersion: q.version,
          seed: u * 100 + k,
          served: JSON.stringify(q.questions.map((x) => ({ id: x.id }))),
          answers: JSON.stringify(answers),
          status: "COMPLETE" as const,
          submittedAt: new Date(now - u * 1000),
          score: (u + k) % 10,
          maxScore: 10,
          percent: ((u + k) % 10) * 10,
          passed: (u + k) % 10 >= 7,
        };
      }),
    );
    for (let i = 0; i < attempts.length; i += 1000) await db.quizAttempt.createMany({ data: attempts.slice(i, i + 1000) });
    return { cohortId: cohort.id, quizId: quizzes[0]?.id ?? "", progressRows: progress.length, attempts: attempts.length };
  } finally {
    await db.$disconnect();
  }
}

async function timed(url: string, cookie: string) {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Cookie: cookie } });
  const body = await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  const queries = Number(res.headers.get("server-timing")?.match(/(\d+) queries/)?.[1] ?? Number.NaN);
  return { ms, bytes: body.byteLength, queries };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-scale-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    // Credential signing keys: the fixed test ones (a production server refuses to start without keys).
    CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
    DATABASE_URL: `file:${path.join(dir, "scale.db")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_REQUESTS: "false",
    SERVER_TIMING: "true",
    SEED_PASSWORD: PASSWORD,
  };
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: "ignore" });
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...env, NODE_ENV: "test" }, stdio: "ignore" });
  const seeded = await seedAtScale(env.DATABASE_URL as string);
  const app = spawn("node", ["build/server.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      app.stdout?.on("data", (c: Buffer) => {
        const m = c.toString().match(/"port":(\d+)/);
        if (m) resolve(Number(m[1]));
      });
      app.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "trainer@attune.test", password: PASSWORD }),
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const targets = {
      "cohort progress grid": `${base}/cohorts/${seeded.cohortId}/progress`,
      "cohort progress CSV": `${base}/cohorts/${seeded.cohortId}/progress.csv`,
      [`item analysis (${seeded.quizId})`]: `${base}/quizzes/${seeded.quizId}/analysis`,
    };
    const results = [];
    for (const [name, url] of Object.entries(targets)) {
      await timed(url, cookie); // warm-up
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await timed(url, cookie));
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
      results.push({
        name,
        medianMs: Math.round(ms[Math.floor(ms.length / 2)] ?? 0),
        maxMs: Math.round(ms.at(-1) ?? 0),
        bytes: runs[0]?.bytes,
        queries: runs[0]?.queries,
      });
    }
    const summary = { date: new Date().toISOString(), trainees: TRAINEES, ...seeded, runs: RUNS, results, targetMs: 300 };
    console.log(`\n${TRAINEES} trainees, ${seeded.progressRows} progress rows, ${seeded.attempts} completed attempts\n`);
    console.log("| page | median ms | worst ms | bytes | queries |\n| --- | ---: | ---: | ---: | ---: |");
    for (const r of results) console.log(`| ${r.name} | ${r.medianMs} | ${r.maxMs} | ${r.bytes} | ${r.queries} |`);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(path.join("bench/results", `at-scale-${summary.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(summary, null, 2));
  } finally {
    app.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
