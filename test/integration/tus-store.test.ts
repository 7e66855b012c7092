// The encrypting tus store itself (app/recordings/tus-store.server.ts), driven without HTTP so a test can break a
// request off mid-way and hand the rest to another store object (another instance): where the recorded offset
// moves (checkpoints inside a request and when it breaks off), and the SHA-256 whether or not this process saw
// every byte.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { Upload } from "@tus/utils";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { uploadDeadline } from "#app/domain/retention";
import { reserveUpload, uploadTargetFor } from "#app/models/recording.server";
import { EncryptingTusStore } from "#app/recordings/tus-store.server";
import { recordingKeyring, recordingStore, recordingStoreKind, retentionPolicy } from "#app/storage/config.server";
import { traineeWithSession } from "../support/case-fixtures";
import { mediaFixture } from "../support/media";

const CHUNK = Number(process.env.RECORDING_CHUNK_BYTES);

function newStore(checkpointBytes: number) {
  return new EncryptingTusStore({
    db: getDb(),
    store: recordingStore(),
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
          if (at === 6 * CHUNK) seenMidway.push(await received(id));
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
});
