// The tus upload endpoint with RECORDING_STORE=db (the store for several instances): the same gate, @tus/server and
// encrypting store as test/integration/uploads.test.ts, the chunks kept as RecordingChunk rows of the file's own
// database (SQLite and PostgreSQL), nothing written to RECORDINGS_DIR.
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "#app/db.server";
import { handleUpload } from "#app/recordings/uploads.server";
import { recordingKeyring, recordingStore } from "#app/storage/config.server";
import { DbBlobStore } from "#app/storage/db-blob-store.server";
import { readRecording } from "#app/storage/recordings.server";
import { cookieFor } from "../support/app";
import { mediaFixture, PLAINTEXT_MARKER } from "../support/media";
import { traineeWithSession } from "../support/recording-rows";

// The settings are read once, at first use: choose the database store before any app module reads them.
vi.hoisted(() => {
  process.env.RECORDING_STORE = "db";
});

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => void handleUpload(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const CHUNK = Number(process.env.RECORDING_CHUNK_BYTES);
const tus = { "Tus-Resumable": "1.0.0" };

async function create(cookie: string, target: string, size: number) {
  return fetch(`${base}/uploads`, {
    method: "POST",
    headers: {
      ...tus,
      Cookie: cookie,
      "Upload-Length": String(size),
      "Upload-Metadata": `target ${Buffer.from(target).toString("base64")}`,
    },
  });
}

async function patch(url: string, cookie: string, offset: number, bytes: Uint8Array) {
  return fetch(`${base}${url}`, {
    method: "PATCH",
    headers: { ...tus, Cookie: cookie, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    body: new Blob([Uint8Array.from(bytes)]),
  });
}

async function storedRows(recordingId: string): Promise<Buffer[]> {
  const db = getDb();
  const blob = await db.recordingBlob.findUnique({ where: { recordingId } });
  const chunks = await db.recordingChunk.findMany({ where: { recordingId }, orderBy: { index: "asc" } });
  return [...(blob ? [Buffer.from(blob.header), Buffer.from(blob.manifest ?? "")] : []), ...chunks.map((c) => Buffer.from(c.data))];
}

describe("resumable, encrypted uploads into the database store", () => {
  it("uses the database store for this file", () => {
    expect(recordingStore()).toBeInstanceOf(DbBlobStore);
  });

  it("an upload cut off mid-way resumes and completes; the chunks are rows, only ciphertext, and read back exactly", async () => {
    const owner = await traineeWithSession();
    const cookie = await cookieFor(owner.trainee.id);
    const file = mediaFixture("video", 6);
    expect(file.length).toBeGreaterThan(3 * CHUNK);
    const created = await create(cookie, `session:${owner.sessionId}`, file.length);
    expect(created.status).toBe(201);
    const url = created.headers.get("Location") as string;
    const uploadId = url.split("/").pop();

    const first = await patch(url, cookie, 0, file.subarray(0, 2 * CHUNK + CHUNK / 2));
    expect(first.status).toBe(204);
    expect(first.headers.get("Upload-Offset")).toBe(String(2 * CHUNK));
    const reserved = await getDb().recording.findFirstOrThrow({ where: { uploadId } });
    expect(reserved).toMatchObject({ store: "db", status: "UPLOADING", receivedBytes: BigInt(2 * CHUNK) });
    expect(await getDb().recordingChunk.count({ where: { recordingId: reserved.id } })).toBe(2);
    const resumed = await fetch(`${base}${url}`, { method: "HEAD", headers: { ...tus, Cookie: cookie } });
    expect(resumed.headers.get("Upload-Offset")).toBe(String(2 * CHUNK));
    expect((await patch(url, cookie, 2 * CHUNK + 10, file.subarray(2 * CHUNK + 10))).status).toBe(409);
    const rest = await patch(url, cookie, 2 * CHUNK, file.subarray(2 * CHUNK));
    expect(rest.status).toBe(204);
    expect(rest.headers.get("Upload-Offset")).toBe(String(file.length));

    const row = await getDb().recording.findFirstOrThrow({ where: { uploadId } });
    expect(row).toMatchObject({
      status: "READY",
      store: "db",
      mimeType: "video/mp4",
      hasVideo: true,
      sha256: createHash("sha256").update(file).digest("hex"),
      receivedBytes: BigInt(file.length),
    });
    expect(await getDb().recordingChunk.count({ where: { recordingId: row.id } })).toBe(Math.ceil(file.length / CHUNK));
    const stored = await storedRows(row.id);
    expect(stored.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(file.length);
    expect(file.includes(Buffer.from(PLAINTEXT_MARKER))).toBe(true);
    for (const bytes of stored) {
      expect(bytes.includes(Buffer.from(PLAINTEXT_MARKER))).toBe(false);
      expect(bytes.includes(file.subarray(4096, 4096 + 64))).toBe(false);
    }
    const dir = process.env.RECORDINGS_DIR as string;
    expect(existsSync(path.join(dir, row.id))).toBe(false);
    if (existsSync(dir)) expect(readdirSync(dir)).toEqual([]);

    const wrappedKey = { keyId: row.keyId as string, wrapped: Buffer.from(row.wrappedKey as string, "base64") };
    const opened = await readRecording(new DbBlobStore(getDb()), recordingKeyring(), row.id, wrappedKey, { start: 0 });
    const parts: Buffer[] = [];
    for await (const part of opened.body) parts.push(part);
    expect(Buffer.concat(parts).equals(file)).toBe(true);
  });

  it("a refused file leaves no rows of bytes behind", async () => {
    const owner = await traineeWithSession();
    const cookie = await cookieFor(owner.trainee.id);
    const text = Buffer.from("Session notes that are not a recording. ".repeat(1200));
    const url = (await create(cookie, `session:${owner.sessionId}`, text.length)).headers.get("Location") as string;
    const refused = await patch(url, cookie, 0, text);
    // Refused with the reason, also when the refusal is so quick that tus takes it for the body's own error
    // (the synchronous SQLite driver): uploads.server.ts maps it back (onResponseError).
    expect(refused.status).toBe(415);
    expect(await refused.text()).toMatch(/MP3|audio|recording/i);
    const row = await getDb().recording.findFirstOrThrow({ where: { uploadId: url.split("/").pop() } });
    expect(row).toMatchObject({ status: "REJECTED", store: "db", wrappedKey: null });
    expect(await storedRows(row.id)).toEqual([]);
  });
});
