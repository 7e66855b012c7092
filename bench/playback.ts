// Benchmark: playing a large encrypted recording through the production server's media route
// (session + permission + grant checks, range parsing, chunk decryption, streaming), against a bare
// node:http server sending the same plaintext from a file, and how much the server's RSS grows meanwhile.
//
//   npm run build && npx tsx bench/playback.ts          (200 MiB, 1 MiB chunks)
//   BENCH_MIB=50 npx tsx bench/playback.ts               (quicker)
//   BENCH_CHUNK_KIB=256 npx tsx bench/playback.ts        (another RECORDING_CHUNK_BYTES)
//   BENCH_NODE_FLAGS= npx tsx bench/playback.ts          (the server without start:prod's node flags; the default has them)
//
// Range reads are sent over kept-alive node:http connections (one per reader), and the server runs with --trace-gc
// so each phase reports how many garbage collections the server ran meanwhile.
//
// The recording is written straight into the filesystem store (writeRecording) with its database row, as a
// completed upload leaves it: uploading 200 MiB of real media is not what is measured here.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { TEST_CREDENTIAL_KEYS } from "../test/support/test-keys";
import { startProdFlags } from "./harness";

const MIB = 1024 * 1024;
const TOTAL = Number(process.env.BENCH_MIB ?? 200) * MIB;
const RANGES = Number(process.env.BENCH_RANGES ?? 400);
const RANGE_BYTES = 64 * 1024;
const PASSWORD = "bench demo passphrase";
const KEYS = `bench-key:${Buffer.alloc(32, 3).toString("base64")}`;

const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-play-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  // Credential signing keys: the fixed test ones (a production server refuses to start without keys).
  CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
  DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
  HOST: "127.0.0.1",
  PORT: "0",
  LOG_REQUESTS: "false",
  SEED_PASSWORD: PASSWORD,
  RECORDING_STORE: "fs",
  RECORDINGS_DIR: path.join(dir, "recordings"),
  RECORDING_MASTER_KEYS: KEYS,
  // BENCH_CHUNK_KIB: the recording's chunk size (RECORDING_CHUNK_BYTES); the default otherwise.
  ...(process.env.BENCH_CHUNK_KIB ? { RECORDING_CHUNK_BYTES: String(Number(process.env.BENCH_CHUNK_KIB) * 1024) } : {}),
  SMTP_URL: "",
  APP_URL: "",
};

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

/** CPU seconds (user + system) the process has used. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = out.match(/"msg":"listening".*"port":(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

/** node:http sending a plain file with single ranges: the physical limit of this machine. */
const BARE_SERVER = `
const http = require("node:http"), fs = require("node:fs");
const [file, total] = [process.argv[1], Number(process.argv[2])];
const server = http.createServer((req, res) => {
  const m = /bytes=(\\d+)-(\\d+)/.exec(req.headers.range || "");
  if (m) {
    const start = Number(m[1]), end = Number(m[2]);
    res.writeHead(206, { "Content-Length": end - start + 1, "Content-Range": "bytes " + start + "-" + end + "/" + total });
    fs.createReadStream(file, { start, end }).pipe(res);
  } else {
    res.writeHead(200, { "Content-Length": total });
    fs.createReadStream(file).pipe(res);
  }
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ msg: "listening", port: server.address().port })));
`;

const block = randomBytes(4 * MIB);
async function* source(): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < TOTAL; offset += 64 * 1024) {
    const at = offset % block.length;
    yield block.subarray(at, at + Math.min(64 * 1024, TOTAL - offset));
  }
}

/** Writes the recording into the store and its READY row for the demo trainee's first demo session. */
async function makeRecording(): Promise<string> {
  Object.assign(process.env, env, { NODE_ENV: "test" });
  const { getDb } = await import("#app/db.server");
  const { recordingKeyring, recordingStore } = await import("#app/storage/config.server");
  const { writeRecording } = await import("#app/storage/recordings.server");
  const { env: settings } = await import("#app/env.server");
  const db = getDb();
  const trainee = await db.user.findUniqueOrThrow({ where: { email: "trainee@attune.test" } });
  const session = await db.caseSession.findFirstOrThrow({
    where: { number: 1, case: { traineeId: trainee.id } },
    include: { case: { include: { consents: true } } },
  });
  const id = `bench${randomBytes(8).toString("hex")}`;
  const { wrappedKey, manifest } = await writeRecording(recordingStore(), recordingKeyring(), id, source(), {
    chunkSize: settings().RECORDING_CHUNK_BYTES,
  });
  await db.recording.create({
    data: {
      id,
      ownerId: trainee.id,
      kind: "CASE_SESSION",
      caseSessionId: session.id,
      consentId: session.case.consents[0]?.id as string,
      status: "READY",
      uploadId: randomBytes(18).toString("base64url"),
      store: "fs",
      declaredSize: BigInt(TOTAL),
      receivedBytes: BigInt(manifest.size),
      mimeType: "video/mp4",
      hasVideo: true,
      durationSeconds: 3000,
      sha256: manifest.sha256,
      wrappedKey: wrappedKey.wrapped.toString("base64"),
      keyId: wrappedKey.keyId,
      completedAt: new Date(),
      deleteAfter: new Date(Date.now() + 365 * 86400_000),
    },
  });
  await db.$disconnect();
  return id;
}

async function drain(res: Response): Promise<number> {
  let n = 0;
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) n += part.length;
  return n;
}

async function whole(name: string, url: string, pid: number | undefined, headers: Record<string, string> = {}) {
  const before = rssMb(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const n = await drain(res);
  const s = (performance.now() - t0) / 1000;
  clearInterval(timer);
  if (n !== TOTAL) throw new Error(`${name}: got ${n} bytes (status ${res.status})`);
  console.log(`| ${name}, whole file | ${s.toFixed(2)} s | ${(TOTAL / MIB / s).toFixed(0)} MiB/s | ${(peak - before).toFixed(1)} MiB |`);
}

/**
 * A client that reads the first bytes and then stops reading for `seconds` (a player with enough buffered):
 * how much the server's RSS grows meanwhile shows whether it honours backpressure or queues the file in memory.
 */
async function stalled(name: string, url: string, pid: number | undefined, headers: Record<string, string>, seconds = 3) {
  const before = rssMb(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.once("data", () => {
        res.pause();
        setTimeout(() => {
          res.destroy();
          resolve();
        }, seconds * 1000);
      });
    });
    req.on("error", reject);
    req.end();
  });
  clearInterval(timer);
  // After the client hung up: does the server stop reading and decrypting the rest?
  const cpu0 = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, 1500));
  const after = cpuSeconds(pid) - cpu0;
  console.log(
    `| ${name}, client stalls ${seconds} s after its first bytes, then hangs up | CPU in the 1.5 s after: ${after.toFixed(2)} s | | ${(peak - before).toFixed(1)} MiB |`,
  );
}

/** One GET over a kept-alive connection of `agent`: its status and how many body bytes came. */
function get(agent: Agent, url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on("data", (part: Buffer) => {
        bytes += part.length;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * `readers` clients at once, each fetching its share of RANGES random 64 KiB ranges one after another over its own
 * kept-alive connection (node:http, not fetch: undici's per-request cost in this process would be measured too).
 */
async function ranges(name: string, url: string, headers: Record<string, string> = {}, readers = 1) {
  const times: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: readers });
  const gcBefore = { ...serverGc };
  const one = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const start = Math.floor(Math.random() * (TOTAL - RANGE_BYTES));
      const t0 = performance.now();
      const res = await get(agent, url, { ...headers, Range: `bytes=${start}-${start + RANGE_BYTES - 1}` });
      times.push(performance.now() - t0);
      if (res.status !== 206 || res.bytes !== RANGE_BYTES) throw new Error(`${name}: range gave ${res.status}, ${res.bytes} bytes`);
    }
  };
  await one(5); // warm-up (connections, JIT), not counted
  times.length = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: readers }, () => one(Math.ceil(RANGES / readers))));
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const p = (q: number) => (times[Math.floor(q * (times.length - 1))] as number).toFixed(1);
  agent.destroy();
  const gc = name.startsWith("media") ? `${serverGc.markCompact - gcBefore.markCompact} / ${serverGc.scavenge - gcBefore.scavenge}` : "";
  console.log(
    `| ${name}, ${times.length} random 64 KiB ranges, ${readers} reader${readers === 1 ? "" : "s"} at once | p50 ${p(0.5)} ms | p95 ${p(0.95)} ms | p99 ${p(0.99)} ms | max ${p(1)} ms | ${(times.length / seconds).toFixed(0)} ranges/s | ${gc} |`,
  );
}

/** The app server's garbage collections so far (from its --trace-gc lines). */
const serverGc = { markCompact: 0, scavenge: 0 };

let app: ChildProcess | undefined;
let bare: ChildProcess | undefined;
try {
  execFileSync("node", ["scripts/db-deploy.mjs"], { env, stdio: "ignore" });
  execFileSync("node_modules/.bin/tsx", ["scripts/seed.ts"], { env: { ...env, NODE_ENV: "test" }, stdio: "ignore" });
  const recordingId = await makeRecording();
  // The baseline's plaintext file, written from the same generator.
  const plainFile = path.join(dir, "plain.bin");
  await pipeline(source(), createWriteStream(plainFile));
  // In a process of its own, like the app server (the client here would otherwise share its event loop).
  bare = spawn("node", ["-e", BARE_SERVER, plainFile, String(TOTAL)], { stdio: ["ignore", "pipe", "inherit"] });
  const bareUrl = `http://127.0.0.1:${await waitForPort(bare)}/`;

  // BENCH_PROF=<dir>: a CPU profile of the server (node --cpu-prof; summarise with bench/cpu-profile-summary.mjs).
  const prof = process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  // The node flags `npm run start:prod` uses (heap limit, source maps), unless BENCH_NODE_FLAGS says otherwise
  // (BENCH_NODE_FLAGS= for none). --trace-gc: the server's garbage collections are counted per phase.
  const flags = (process.env.BENCH_NODE_FLAGS ?? startProdFlags()).split(" ").filter(Boolean);
  app = spawn("node", [...prof, ...flags, "--trace-gc", "build/server.js"], { env, stdio: ["ignore", "pipe", "inherit"] });
  app.stdout?.on("data", (c: Buffer) => {
    const text = c.toString();
    serverGc.markCompact += text.split("Mark-Compact").length - 1;
    serverGc.scavenge += text.split("Scavenge").length - 1;
  });
  const base = `http://127.0.0.1:${await waitForPort(app)}`;
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "trainee@attune.test", password: PASSWORD }),
  });
  const cookie = login.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
  const html = await (await fetch(`${base}/recordings/${recordingId}`, { headers: { Cookie: cookie } })).text();
  const src = /<video[^>]* src="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  if (!src) throw new Error("no player on the recording page");
  const mediaUrl = `${base}${src}`;

  const chunkKib = env.RECORDING_CHUNK_BYTES ? `${Number(env.RECORDING_CHUNK_BYTES) / 1024} KiB` : "1 MiB (the default)";
  console.log(`\n${TOTAL / MIB} MiB recording, ${chunkKib} chunks\n`);
  console.log("| what | time | speed | server RSS growth |");
  console.log("| --- | ---: | ---: | ---: |");
  for (let round = 0; round < 2; round++) {
    await whole("bare node:http, plain file", bareUrl, bare.pid);
    await whole("media route (decrypting)", mediaUrl, app.pid, { Cookie: cookie });
  }
  await stalled("bare node:http, plain file", bareUrl, bare.pid, {});
  await stalled("media route (decrypting)", mediaUrl, app.pid, { Cookie: cookie });
  console.log("");
  console.log("| ranges | p50 | p95 | p99 | max | throughput | server GC: mark-compact / scavenge |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const readers of [1, 8]) {
    await ranges("bare node:http, plain file", bareUrl, {}, readers);
    await ranges("media route (decrypting)", mediaUrl, { Cookie: cookie }, readers);
  }
} finally {
  app?.kill("SIGTERM");
  bare?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
