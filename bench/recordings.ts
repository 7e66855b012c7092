// Benchmark: a large recording uploaded over tus to the production server (build/server.js) on loopback, beside
// `cp` and a plain read of the same bytes on the same disk in the same run; the server's RSS growth during the
// upload; and the latency of random 64 KiB range reads of the stored recording with 8 concurrent readers.
//
//   npm run build && npm run bench:recordings            (1 GiB WAV, the filesystem store, the default chunk size)
//   BENCH_MIB=256 npm run bench:recordings                (quicker)
//   BENCH_STORE=db npm run bench:recordings               (the database store, on SQLite)
//   BENCH_CHUNK_KIB=1024 npm run bench:recordings         (another RECORDING_CHUNK_BYTES)
//   BENCH_NODE_FLAGS= npm run bench:recordings            (the server without start:prod's node flags; the default has them)
//
// The range reads go through readRecording (app/storage/recordings.server.ts) in this process, against the
// server's store (its RECORDINGS_DIR, or its database); bench/playback.ts measures them through the route. Loopback only;
// everything lives in one temporary directory, removed at the end.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { disconnectDb, getDb } from "#app/db.server";
import { attestConsent, createCase, recordSession } from "#app/models/case.server";
import { createActiveUser } from "#app/models/user.server";
import { type BlobStore, FileBlobStore } from "#app/storage/blob-store.server";
import { DbBlobStore } from "#app/storage/db-blob-store.server";
import { DEFAULT_CHUNK_SIZE, encryptChunk, newDataKey, newHeader } from "#app/storage/format.server";
import { loadKeyring } from "#app/storage/keys.server";
import { readRecording } from "#app/storage/recordings.server";
import { TEST_CREDENTIAL_KEYS } from "../test/support/test-keys";
import { startProdFlags } from "./harness";

const MIB = 1024 * 1024;
const TOTAL = Number(process.env.BENCH_MIB ?? 1024) * MIB;
const STORE = process.env.BENCH_STORE === "db" ? "db" : "fs";
const CHUNK_BYTES = process.env.BENCH_CHUNK_KIB ? Number(process.env.BENCH_CHUNK_KIB) * 1024 : DEFAULT_CHUNK_SIZE;
const READERS = 8;
const READS_PER_READER = Number(process.env.BENCH_READS ?? 100);
const RANGE = 64 * 1024;
const PASSWORD = "bench passphrase for recordings";
const MASTER_KEYS = `bench:${randomBytes(32).toString("base64")}`;

// The source, the copies and the server's store all in one directory, on one disk (check that tmpdir is not a RAM disk).
const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-recordings-"));
const databaseUrl = `file:${path.join(dir, "bench.db")}`;
process.env.DATABASE_URL = databaseUrl;

/** A WAV file of exactly TOTAL bytes: a 44-byte header and random 16-bit stereo PCM (a valid, incompressible recording). */
async function writeWav(file: string): Promise<void> {
  const header = Buffer.alloc(44);
  const rate = 48_000;
  header.write("RIFF", 0);
  header.writeUInt32LE(TOTAL - 8, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(TOTAL - 44, 40);
  const out = createWriteStream(file);
  const block = randomBytes(4 * MIB);
  out.write(header);
  for (let written = 44; written < TOTAL; ) {
    const n = Math.min(block.length, TOTAL - written);
    if (!out.write(block.subarray(0, n))) await once(out, "drain");
    written += n;
    block.writeUInt32LE(written, 0); // no two blocks alike
  }
  out.end();
  await once(out, "finish");
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const mibps = (s: number) => TOTAL / MIB / s;

function rssMib(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${out}`)), 30_000);
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = out.match(/"msg":"listening".*"port":(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

/** A trainee with an open case, one session and consent, made through the models before the server starts. */
async function trainee(): Promise<{ email: string; sessionId: string }> {
  const db = getDb();
  const stamp = Date.now();
  const t = await createActiveUser(db, {
    email: `bench-trainee-${stamp}@example.test`,
    name: "Bench trainee",
    roles: ["TRAINEE"],
    password: PASSWORD,
  });
  const s = await createActiveUser(db, {
    email: `bench-trainer-${stamp}@example.test`,
    name: "Bench trainer",
    roles: ["TRAINER"],
    password: PASSWORD,
  });
  if (!t.ok || !s.ok) throw new Error("could not create the bench accounts");
  const created = await createCase(db, {
    traineeId: t.userId,
    supervisorId: s.userId,
    clientCode: "C-10001",
    startedOn: new Date("2026-10-01"),
  });
  if (!created.ok) throw new Error("could not create the case");
  await recordSession(db, { caseId: created.id, number: 1, heldOn: new Date("2026-10-01"), phq9: 14, gad7: 9 });
  await attestConsent(db, {
    caseId: created.id,
    attestedById: t.userId,
    consentOn: new Date("2026-10-01"),
    method: "WRITTEN_FORM",
    forSupervision: true,
    forAssessment: true,
  });
  const session = await db.caseSession.findFirstOrThrow({ where: { caseId: created.id }, select: { id: true } });
  return { email: `bench-trainee-${stamp}@example.test`, sessionId: session.id };
}

/** PATCHes the whole file from disk in one streamed request (as a tus client with no chunk size does). */
function patchFile(base: string, url: string, cookie: string, file: string): Promise<{ status: number; offset: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${url}`, {
      method: "PATCH",
      headers: {
        "Tus-Resumable": "1.0.0",
        Cookie: cookie,
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
        "Content-Length": String(TOTAL),
      },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, offset: (res.headers["upload-offset"] as string) ?? null }));
    });
    req.on("error", reject);
    createReadStream(file, { highWaterMark: MIB }).pipe(req);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main() {
  const recordingsDir = path.join(dir, "recordings");
  const source = path.join(dir, "source.wav");
  await writeWav(source);
  execFileSync("sync");

  // Baselines on the same disk: cp (page cache only), cp then sync (on disk, as the store's fsync'd chunks are),
  // and a plain read of the same bytes.
  let t0 = performance.now();
  execFileSync("cp", [source, path.join(dir, "copy.wav")]);
  const cp = seconds(t0);
  execFileSync("sync");
  t0 = performance.now();
  execFileSync("cp", [source, path.join(dir, "copy2.wav")]);
  execFileSync("sync");
  const cpSync = seconds(t0);
  t0 = performance.now();
  for await (const _ of createReadStream(path.join(dir, "copy.wav"), { highWaterMark: MIB })) {
  }
  const plainRead = seconds(t0);
  rmSync(path.join(dir, "copy.wav"));
  rmSync(path.join(dir, "copy2.wav"));
  // The upload's CPU floor: the same bytes read, sealed chunk by chunk (AES-256-GCM) and hashed (SHA-256) in this
  // process, nothing written. No upload through the store can be faster than this on the same machine at the same time.
  t0 = performance.now();
  {
    const header = newHeader("bench", CHUNK_BYTES);
    const dataKey = newDataKey();
    const hash = createHash("sha256");
    let index = 0;
    let at = 0;
    for await (const piece of createReadStream(source, { highWaterMark: CHUNK_BYTES })) {
      const chunk = piece as Buffer;
      at += chunk.length;
      hash.update(chunk);
      encryptChunk({ recordingId: "bench", header, dataKey }, index++, chunk, at === TOTAL);
    }
    hash.digest();
  }
  const sealOnly = seconds(t0);

  execFileSync("node", ["scripts/db-deploy.mjs"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
  const who = await trainee();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    // Credential signing keys: the fixed test ones (a production server refuses to start without keys).
    CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS,
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_REQUESTS: "false",
    SMTP_URL: "",
    APP_URL: "",
    RECORDING_STORE: STORE,
    RECORDINGS_DIR: recordingsDir,
    RECORDING_MASTER_KEYS: MASTER_KEYS,
  };
  if (process.env.BENCH_CHUNK_KIB) env.RECORDING_CHUNK_BYTES = String(Number(process.env.BENCH_CHUNK_KIB) * 1024);
  else delete env.RECORDING_CHUNK_BYTES;
  const server = spawn(
    "node",
    [
      ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
      // The node flags `npm run start:prod` uses, unless BENCH_NODE_FLAGS says otherwise (BENCH_NODE_FLAGS= for none).
      ...(process.env.BENCH_NODE_FLAGS ?? startProdFlags()).split(" ").filter(Boolean),
      "build/server.js",
    ],
    { env, stdio: ["ignore", "pipe", "inherit"] },
  );
  let uploadS = 0;
  let rssBefore = 0;
  let rssPeak = 0;
  let uploadId = "";
  try {
    const base = `http://127.0.0.1:${await waitForPort(server)}`;
    const pid = server.pid as number;
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: who.email, password: PASSWORD }),
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0];
    if (login.status !== 302 || !cookie) throw new Error(`sign-in gave ${login.status}`);
    const created = await fetch(`${base}/uploads`, {
      method: "POST",
      headers: {
        "Tus-Resumable": "1.0.0",
        Cookie: cookie,
        "Upload-Length": String(TOTAL),
        "Upload-Metadata": `target ${Buffer.from(`session:${who.sessionId}`).toString("base64")}`,
      },
    });
    if (created.status !== 201) throw new Error(`creation gave ${created.status}: ${await created.text()}`);
    const url = created.headers.get("Location") as string;
    uploadId = url.split("/").pop() as string;
    await new Promise((r) => setTimeout(r, 500));
    rssBefore = rssMib(pid);
    rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMib(pid));
    }, 50);
    t0 = performance.now();
    const done = await patchFile(base, url, cookie, source);
    uploadS = seconds(t0);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, rssMib(pid));
    if (done.status !== 204 || done.offset !== String(TOTAL)) throw new Error(`upload gave ${done.status}, offset ${done.offset}`);
  } finally {
    server.kill("SIGTERM");
    await once(server, "exit");
  }

  const db = getDb();
  const row = await db.recording.findUniqueOrThrow({ where: { uploadId } });
  if (row.status !== "READY" || !row.wrappedKey || !row.keyId) throw new Error(`the recording is ${row.status}: ${row.rejectReason}`);
  const store: BlobStore = STORE === "db" ? new DbBlobStore(db) : new FileBlobStore(recordingsDir);
  const keyring = loadKeyring({ env: { RECORDING_MASTER_KEYS: MASTER_KEYS } });
  const wrappedKey = { keyId: row.keyId, wrapped: Buffer.from(row.wrappedKey, "base64") };
  const latencies: number[] = [];
  const reader = async (reads: number, record: boolean) => {
    for (let i = 0; i < reads; i++) {
      const start = Math.floor(Math.random() * (TOTAL - RANGE));
      const r0 = performance.now();
      const opened = await readRecording(store, keyring, row.id, wrappedKey, { start, end: start + RANGE });
      let n = 0;
      for await (const part of opened.body) n += part.length;
      if (record) latencies.push(performance.now() - r0);
      if (n !== RANGE) throw new Error(`range read gave ${n} bytes`);
    }
  };
  // Warm-up, not recorded: the first reads compile the decrypting path and fill the store's memo of headers.
  await Promise.all(Array.from({ length: READERS }, () => reader(5, false)));
  const readsT0 = performance.now();
  await Promise.all(Array.from({ length: READERS }, () => reader(READS_PER_READER, true)));
  const readsS = seconds(readsT0);
  latencies.sort((a, b) => a - b);

  const stored = STORE === "fs" ? statSync(path.join(recordingsDir, row.id)).isDirectory() : true;
  console.log(
    `\n${TOTAL / MIB} MiB WAV, store ${STORE}, chunk ${CHUNK_BYTES / 1024} KiB${process.env.BENCH_CHUNK_KIB ? "" : " (default)"}, stored: ${stored}\n`,
  );
  console.log("| what | seconds | MiB/s |");
  console.log("| --- | ---: | ---: |");
  console.log(`| cp (page cache) | ${cp.toFixed(2)} | ${mibps(cp).toFixed(0)} |`);
  console.log(`| cp + sync | ${cpSync.toFixed(2)} | ${mibps(cpSync).toFixed(0)} |`);
  console.log(`| plain read | ${plainRead.toFixed(2)} | ${mibps(plainRead).toFixed(0)} |`);
  console.log(`| encrypt + hash only, in memory (the upload's CPU floor) | ${sealOnly.toFixed(2)} | ${mibps(sealOnly).toFixed(0)} |`);
  console.log(`| tus upload (one PATCH, until the 204) | ${uploadS.toFixed(2)} | ${mibps(uploadS).toFixed(0)} |`);
  console.log(
    `\nupload / cp: ${(cp / uploadS).toFixed(2)} (target ≥ 0.5); upload / (cp + sync): ${(cpSync / uploadS).toFixed(2)}; ` +
      `upload / (encrypt + hash): ${(sealOnly / uploadS).toFixed(2)}`,
  );
  console.log(
    `server RSS: ${rssBefore.toFixed(0)} MiB before, peak ${rssPeak.toFixed(0)} MiB, growth ${(rssPeak - rssBefore).toFixed(1)} MiB (target < 64)`,
  );
  console.log(
    `range reads (${READERS} readers × ${READS_PER_READER}, ${RANGE / 1024} KiB, in-process readRecording): ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (target < 20), ` +
      `max ${latencies.at(-1)?.toFixed(1)} ms, ${(latencies.length / readsS).toFixed(0)} reads/s`,
  );
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await disconnectDb();
    rmSync(dir, { recursive: true, force: true });
  });
