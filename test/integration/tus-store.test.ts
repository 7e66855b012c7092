// The encrypting tus store itself (app/recordings/tus-store.server.ts), driven without HTTP so a test can break a
// request off mid-way and hand the rest to another store object (another instance): where the recorded offset
// moves (checkpoints inside a request and when it breaks off), and the SHA-256 whether or not this process saw
// every byte.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { Upload } from "@tus/utils";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "#app/db.server";
import { uploadDeadline } from "#app/domain/retention";
import { reserveUpload, uploadTargetFor } from "#app/models/recording.server";
import { EncryptingTusStore } from "#app/recordings/tus-store.server";
import type { BlobStore } from "#app/storage/blob-store.server";
import { recordingKeyring, recordingStore, recordingStoreKind, retentionPolicy } from "#app/storage/config.server";
import { traineeWithSession } from "../support/case-fixtures";
import { mediaFixture } from "../support/media";

const CHUNK = Number(process.env.RECORDING_CHUNK_BYTES);

function newStore(checkpointBytes: number, store: BlobStore = recordingStore()) {
  return new EncryptingTusStore({
    db: getDb(),
    store,
    keyring: recordingKeyring(),
    chunkSize: CHUNK,
    retention: retentionPolicy(),
    checkpointBytes,
  });
}

async function reserved(size: number) {
  const scene = await traineeWithSession();
  const db = getDb();
  const target = await uploadTargetFor(db, scene.trainee.id, { kind: "CASE_SESSION", caseSessionId: scene.sessionId });
  if (!target.ok) throw new Error(target.problem);
  return reserveUpload(db, {
    ownerId: scene.trainee.id,
    kind: "CASE_SESSION",
    caseSessionId: target.caseSessionId,
    consentId: target.consentId,
    declaredSize: size,
    store: recordingStoreKind(),
    deleteAfter: uploadDeadline(retentionPolicy(), new Date()),
  });
}

/** The real store with some of its methods replaced. */
function storeWith(real: BlobStore, replaced: Partial<BlobStore>): BlobStore {
  return {
    begin: (...args) => real.begin(...args),
    writeChunk: (...args) => real.writeChunk(...args),
    sync: (...args) => real.sync(...args),
    finalize: (...args) => real.finalize(...args),
    readHeader: (...args) => real.readHeader(...args),
    replaceHeader: (...args) => real.replaceHeader(...args),
    readChunks: (...args) => real.readChunks(...args),
    status: (...args) => real.status(...args),
    delete: (...args) => real.delete(...args),
    listExpiredIncomplete: (...args) => real.listExpiredIncomplete(...args),
    ...replaced,
  };
}

const received = async (id: string) => Number((await getDb().recording.findUniqueOrThrow({ where: { id } })).receivedBytes);

describe("the encrypting tus store", () => {
  it("records progress at checkpoints and when a request breaks off; another instance finishes and still hashes every byte", async () => {
    const file = mediaFixture("video", 14);
    expect(file.length).toBeGreaterThan(8 * CHUNK);
    const { id, uploadId } = await reserved(file.length);
    const a = newStore(2 * CHUNK);
    await a.create(new Upload({ id: uploadId, size: file.length, offset: 0 }));

    // Two and a half chunks: the checkpoint at two chunks is recorded, the half chunk dropped.
    expect(await a.write(Readable.from([file.subarray(0, 2 * CHUNK + CHUNK / 2)]), uploadId, 0)).toBe(2 * CHUNK);
    expect(await received(id)).toBe(2 * CHUNK);

    // One more whole chunk, then the connection breaks: below the checkpoint size, yet recorded on the way out.
    const broken = Readable.from(
      (async function* () {
        yield file.subarray(2 * CHUNK, 3 * CHUNK);
        throw new Error("connection reset");
      })(),
    );
    await expect(a.write(broken, uploadId, 2 * CHUNK)).rejects.toThrow("connection reset");
    expect(await received(id)).toBe(3 * CHUNK);

    // Another instance takes the rest; the offset moves inside its request, at each checkpoint.
    const b = newStore(2 * CHUNK);
    const seenMidway: number[] = [];
    const rest = Readable.from(
      (async function* () {
        for (let at = 3 * CHUNK; at < file.length; at += CHUNK) {
          // The checkpoint at five chunks is flushed while the next chunk arrives: by now it is, or soon will be, recorded.
          if (at === 6 * CHUNK) {
            await vi.waitFor(async () => expect(await received(id)).toBe(5 * CHUNK));
            seenMidway.push(await received(id));
          }
          yield file.subarray(at, Math.min(at + CHUNK, file.length));
        }
      })(),
    );
    expect(await b.write(rest, uploadId, 3 * CHUNK)).toBe(file.length);
    expect(seenMidway).toEqual([5 * CHUNK]);
    const row = await getDb().recording.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "READY", sha256: createHash("sha256").update(file).digest("hex") });
  });

  it("continues its own running hash when the next request starts where the last one ended", async () => {
    const file = mediaFixture("audio", 6);
    expect(file.length).toBeGreaterThan(2 * CHUNK);
    const { id, uploadId } = await reserved(file.length);
    const a = newStore(1024 * CHUNK);
    await a.create(new Upload({ id: uploadId, size: file.length, offset: 0 }));
    expect(await a.write(Readable.from([file.subarray(0, CHUNK)]), uploadId, 0)).toBe(CHUNK);
    expect(await a.write(Readable.from([file.subarray(CHUNK)]), uploadId, CHUNK)).toBe(file.length);
    const row = await getDb().recording.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "READY", sha256: createHash("sha256").update(file).digest("hex") });
  });

  it("keeps receiving while a checkpoint waits on the disk, and records only what that flush covered", async () => {
    const file = mediaFixture("video", 14);
    expect(file.length).toBeGreaterThan(6 * CHUNK);
    const { id, uploadId } = await reserved(file.length);
    const real = recordingStore();
    // The real store, except that the first sync (of chunks 0 and 1) waits until chunk 2 has been written: a slow
    // disk. A store object that stopped receiving during the sync would never write chunk 2 then; the fallback
    // timer lets it go on, and fail below, instead of hanging.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fallback = setTimeout(release, 3000);
    let syncing = false;
    const duringSync: { index: number; recorded: number }[] = [];
    const slowDisk = storeWith(real, {
      writeChunk: async (recordingId, index, bytes) => {
        await real.writeChunk(recordingId, index, bytes);
        if (syncing) {
          duringSync.push({ index, recorded: await received(id) });
          release();
        }
      },
      sync: async (recordingId) => {
        syncing = true;
        await released;
        syncing = false;
        return real.sync(recordingId);
      },
    });
    const a = newStore(2 * CHUNK, slowDisk);
    await a.create(new Upload({ id: uploadId, size: file.length, offset: 0 }));
    const pieces = Readable.from(
      (function* () {
        for (let at = 0; at < file.length; at += CHUNK) yield file.subarray(at, Math.min(at + CHUNK, file.length));
      })(),
    );
    expect(await a.write(pieces, uploadId, 0)).toBe(file.length);
    clearTimeout(fallback);
    // Chunk 2 was written while chunks 0 and 1 were being flushed, and the offset had not moved before the flush ended.
    expect(duringSync[0]).toEqual({ index: 2, recorded: 0 });
    const row = await getDb().recording.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "READY", sha256: createHash("sha256").update(file).digest("hex") });
  });

  it("never records an offset past a chunk the store failed to write; the upload resumes before it", async () => {
    const file = mediaFixture("video", 14);
    const { id, uploadId } = await reserved(file.length);
    const real = recordingStore();
    // The real store, except that writing chunk 3 fails once (a full disk, say).
    let failed = false;
    const failing = storeWith(real, {
      writeChunk: async (recordingId, index, bytes) => {
        if (index === 3 && !failed) {
          failed = true;
          throw new Error("no space left on device");
        }
        return real.writeChunk(recordingId, index, bytes);
      },
    });
    const a = newStore(1024 * CHUNK, failing);
    await a.create(new Upload({ id: uploadId, size: file.length, offset: 0 }));
    await expect(a.write(Readable.from([file]), uploadId, 0)).rejects.toThrow("no space left on device");
    const offset = await received(id);
    expect(offset).toBeLessThanOrEqual(3 * CHUNK);
    expect(await a.write(Readable.from([file.subarray(offset)]), uploadId, offset)).toBe(file.length);
    const row = await getDb().recording.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "READY", sha256: createHash("sha256").update(file).digest("hex") });
  });
});
