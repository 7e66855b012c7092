// Two app processes (production build) on one PostgreSQL database with RECORDING_STORE=db: an upload begun through
// instance A is resumed and finished through instance B, with real sessions made by signing in over HTTP, and the
// stored recording then reads back exactly. Runs in the e2e-postgresql lane (PG_TEST_URL); creates and drops a
// database named <PG_TEST_URL database>_ri….
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { type ClientRequest, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { disconnectDb, getDb } from "#app/db.server";
import { DbBlobStore } from "#app/storage/db-blob-store.server";
import { loadKeyring } from "#app/storage/keys.server";
import { readRecording } from "#app/storage/recordings.server";
import { mediaFixture, PLAINTEXT_MARKER } from "../support/media";
import { traineeWithSession } from "../support/recording-rows";
import { portOf, prepareDatabase, signInOverHttp, startServer } from "../support/server-process";

const pgUrl = process.env.PG_TEST_URL;
const PASSWORD = "recordings across instances passphrase";
const CHUNK = 16 * 1024;
const MASTER_KEYS = `e2e-key:${randomBytes(32).toString("base64")}`;

function admin(url: URL) {
  return new pg.Client({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    database: "postgres",
  });
}

describe.skipIf(!pgUrl || inject("e2eDbKind") !== "postgresql")("recordings across two instances on one PostgreSQL database", () => {
  let name = "";
  let a = "";
  let b = "";
  const servers: ReturnType<typeof startServer>[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    const base = new URL(pgUrl as string);
    name = `${decodeURIComponent(base.pathname.slice(1))}_ri${randomBytes(4).toString("hex")}`;
    const c = admin(base);
    await c.connect();
    await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    prepareDatabase(url.toString());
    // This process reads and writes the same database through the app's models (getDb reads DATABASE_URL at first use).
    process.env.DATABASE_URL = url.toString();
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(path.join(tmpdir(), "attune-ri-"));
      dirs.push(dir);
      servers.push(
        startServer({
          DATABASE_URL: url.toString(),
          LOG_REQUESTS: "false",
          SMTP_URL: "",
          APP_URL: "",
          RECORDING_STORE: "db",
          RECORDINGS_DIR: dir,
          RECORDING_MASTER_KEYS: MASTER_KEYS,
          RECORDING_CHUNK_BYTES: String(CHUNK),
        }),
      );
    }
    const bases = await Promise.all(servers.map(async (s) => `http://127.0.0.1:${await portOf(s.output)}`));
    a = bases[0] as string;
    b = bases[1] as string;
  });

  afterAll(async () => {
    for (const s of servers) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exit));
    await disconnectDb();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (!name) return;
    const c = admin(new URL(pgUrl as string));
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });

  const tus = { "Tus-Resumable": "1.0.0" };
  const patch = (base: string, url: string, cookie: string, offset: number, bytes: Uint8Array) =>
    fetch(`${base}${url}`, {
      method: "PATCH",
      headers: { ...tus, Cookie: cookie, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
      body: new Blob([Uint8Array.from(bytes)]),
    });
  const head = (base: string, url: string, cookie: string) =>
    fetch(`${base}${url}`, { method: "HEAD", headers: { ...tus, Cookie: cookie } });

  it("an upload begun on A is resumed and finished on B; the recording reads back exactly, and A sees it complete", async () => {
    const owner = await traineeWithSession({ password: PASSWORD });
    const cookie = await signInOverHttp(a, owner.trainee.email, PASSWORD);
    const file = mediaFixture("video", 6);
    expect(file.length).toBeGreaterThan(4 * CHUNK);

    const created = await fetch(`${a}/uploads`, {
      method: "POST",
      headers: {
        ...tus,
        Cookie: cookie,
        "Upload-Length": String(file.length),
        "Upload-Metadata": `target ${Buffer.from(`session:${owner.sessionId}`).toString("base64")}`,
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const url = created.headers.get("Location") as string;
    expect(url).toMatch(/^\/uploads\/[A-Za-z0-9_-]{16,}$/);

    // Part of the file through A: two and a half chunks, of which two are kept.
    const first = await patch(a, url, cookie, 0, file.subarray(0, 2 * CHUNK + CHUNK / 2));
    expect(first.status).toBe(204);
    expect(first.headers.get("Upload-Offset")).toBe(String(2 * CHUNK));

    // B knows where A stopped, and takes the rest.
    const onB = await head(b, url, cookie);
    expect(onB.status).toBe(200);
    expect(onB.headers.get("Upload-Offset")).toBe(String(2 * CHUNK));
    expect((await patch(b, url, cookie, 2 * CHUNK + 1, file.subarray(2 * CHUNK + 1))).status).toBe(409);
    const rest = await patch(b, url, cookie, 2 * CHUNK, file.subarray(2 * CHUNK));
    expect(rest.status).toBe(204);
    expect(rest.headers.get("Upload-Offset")).toBe(String(file.length));

    // A sees the upload complete.
    const onA = await head(a, url, cookie);
    expect(onA.headers.get("Upload-Offset")).toBe(String(file.length));

    const db = getDb();
    const row = await db.recording.findFirstOrThrow({ where: { uploadId: url.split("/").pop() } });
    expect(row).toMatchObject({
      status: "READY",
      store: "db",
      mimeType: "video/mp4",
      sha256: createHash("sha256").update(file).digest("hex"),
      receivedBytes: BigInt(file.length),
    });
    // Only ciphertext in the shared database, nothing in either instance's recordings folder.
    const chunks = await db.recordingChunk.findMany({ where: { recordingId: row.id }, orderBy: { index: "asc" } });
    expect(chunks.map((c) => c.index)).toEqual(Array.from({ length: Math.ceil(file.length / CHUNK) }, (_, i) => i));
    for (const c of chunks) expect(Buffer.from(c.data).includes(Buffer.from(PLAINTEXT_MARKER))).toBe(false);
    for (const dir of dirs) expect(readdirSync(dir)).toEqual([]);

    // The bytes, decrypted with the servers' master key from the shared rows (the playback route is not on this branch).
    const keyring = loadKeyring({ env: { RECORDING_MASTER_KEYS: MASTER_KEYS } });
    const wrappedKey = { keyId: row.keyId as string, wrapped: Buffer.from(row.wrappedKey as string, "base64") };
    const store = new DbBlobStore(db);
    const whole = await readRecording(store, keyring, row.id, wrappedKey, { start: 0 });
    const parts: Buffer[] = [];
    for await (const part of whole.body) parts.push(part);
    expect(Buffer.concat(parts).equals(file)).toBe(true);
    const middle = await readRecording(store, keyring, row.id, wrappedKey, { start: 2 * CHUNK - 100, end: 2 * CHUNK + 100 });
    const slice: Buffer[] = [];
    for await (const part of middle.body) slice.push(part);
    expect(Buffer.concat(slice).equals(file.subarray(2 * CHUNK - 100, 2 * CHUNK + 100))).toBe(true);
  });

  it("a request on B makes A's upload request in flight let go (one lock across processes); B goes on from there", async () => {
    const owner = await traineeWithSession({ password: PASSWORD });
    const cookie = await signInOverHttp(a, owner.trainee.email, PASSWORD);
    const file = mediaFixture("video", 6);
    const created = await fetch(`${a}/uploads`, {
      method: "POST",
      headers: {
        ...tus,
        Cookie: cookie,
        "Upload-Length": String(file.length),
        "Upload-Metadata": `target ${Buffer.from(`session:${owner.sessionId}`).toString("base64")}`,
      },
    });
    expect(created.status).toBe(201);
    const url = created.headers.get("Location") as string;
    const uploadId = url.split("/").pop();

    // A PATCH on A that sends three chunks and then stalls: its body is never finished, so it holds the lock.
    let stalledRequest: ClientRequest | undefined;
    const stalled = new Promise<{ status: number; offset: string | undefined }>((resolve, reject) => {
      const req = request(`${a}${url}`, {
        method: "PATCH",
        headers: {
          ...tus,
          Cookie: cookie,
          "Upload-Offset": "0",
          "Content-Type": "application/offset+octet-stream",
          "Content-Length": String(file.length),
        },
      });
      stalledRequest = req;
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, offset: res.headers["upload-offset"] as string | undefined });
      });
      req.on("error", reject);
      req.write(Buffer.from(file.subarray(0, 3 * CHUNK)));
    });
    // Destroying the request in `finally` rejects this promise when the test has already failed: not a second error.
    stalled.catch(() => undefined);
    try {
      // A has sealed and stored the three chunks; the offset it records waits for a checkpoint or the request's end
      // (ADR 0035), so the row still says 0 while the request is open.
      const db = getDb();
      const { id: recordingId } = await db.recording.findFirstOrThrow({ where: { uploadId }, select: { id: true } });
      for (let i = 0; ; i++) {
        const stored = await db.recordingChunk.count({ where: { recordingId } });
        if (stored === 3) break;
        if (i > 200) throw new Error(`A stored ${stored} chunks`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // B's HEAD waits for the lock; its wait asks A (another process) to let go, and A ends its request, recording
      // the offset of what it stored.
      const onB = await head(b, url, cookie);
      expect(onB.status).toBe(200);
      expect(onB.headers.get("Upload-Offset")).toBe(String(3 * CHUNK));
      const answered = await Promise.race([stalled, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      expect(answered, "A's stalled request was never let go").not.toBeNull();
      expect(answered?.offset).toBe(String(3 * CHUNK));
    } finally {
      stalledRequest?.destroy();
    }

    const rest = await patch(b, url, cookie, 3 * CHUNK, file.subarray(3 * CHUNK));
    expect(rest.status).toBe(204);
    const row = await getDb().recording.findFirstOrThrow({ where: { uploadId } });
    expect(row).toMatchObject({ status: "READY", sha256: createHash("sha256").update(file).digest("hex") });
  });
});
