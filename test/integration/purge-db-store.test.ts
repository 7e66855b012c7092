// Purge with the database blob store (RECORDING_STORE=db: chunks as rows, for several instances): the chunk rows go
// with the key, an abandoned upload leaves nothing, and when deleting the bytes fails the key is already gone and the
// next run deletes them. Uploads go through the real tus endpoint, which writes to the database store in this file.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPrisma, getDb } from "#app/db.server";
import { env } from "#app/env.server";
import { type PurgeCounts, purgeDue } from "#app/recordings/purge.server";
import { action as retentionAction } from "#app/routes/recordings.$recordingId.retention";
import { recordingStore, recordingStoreKind } from "#app/storage/config.server";
import { DbBlobStore } from "#app/storage/db-blob-store.server";
import { callAction } from "../support/app";
import { mediaFixture } from "../support/media";
import { startUploadEndpoint, traineeWithSession, uploadRecording } from "../support/recording-fixtures";

vi.hoisted(() => {
  process.env.RECORDING_STORE = "db";
});

let endpoint: Awaited<ReturnType<typeof startUploadEndpoint>>;
beforeAll(async () => {
  endpoint = await startUploadEndpoint();
});
afterAll(async () => {
  await endpoint.close();
});

const CHUNK = Number(process.env.RECORDING_CHUNK_BYTES);
const NOTHING: PurgeCounts = { purged: 0, blobsDeleted: 0, leftoverBlobsDeleted: 0, abandonedBlobsDeleted: 0, held: 0, failed: 0 };
const lines: string[] = [];
const purge = (now: Date, store = recordingStore()) => purgeDue({ db: getDb(), store, now, log: (l) => lines.push(l) });
const row = (id: string) => getDb().recording.findUniqueOrThrow({ where: { id } });
const stored = async (id: string) => ({
  chunks: await getDb().recordingChunk.count({ where: { recordingId: id } }),
  blob: await getDb().recordingBlob.count({ where: { recordingId: id } }),
});
const withdraw = (cookie: string, recordingId: string) =>
  callAction(retentionAction, {
    path: `/recordings/${recordingId}/retention`,
    params: { recordingId },
    cookie,
    form: { intent: "withdraw", confirm: "yes" },
  });

describe("purge with the database store", () => {
  it("uses the database store here", () => {
    expect(recordingStoreKind()).toBe("db");
    expect(recordingStore()).toBeInstanceOf(DbBlobStore);
  });

  it("deletes the chunk rows once the key is destroyed, keeping the tombstone", async () => {
    const scene = await traineeWithSession();
    const file = mediaFixture("audio", 2);
    const { id } = await uploadRecording(endpoint.base, scene, file);
    const ready = await row(id);
    expect(ready).toMatchObject({ status: "READY", store: "db" });
    expect((await stored(id)).chunks).toBeGreaterThan(1);
    await withdraw(scene.cookie, id);
    expect(await purge(new Date())).toEqual({ ...NOTHING, purged: 1, blobsDeleted: 1 });
    expect(await stored(id)).toEqual({ chunks: 0, blob: 0 });
    expect(await row(id)).toMatchObject({
      status: "PURGED",
      wrappedKey: null,
      keyId: null,
      sha256: ready.sha256,
      declaredSize: ready.declaredSize,
    });
  });

  it("an aborted upload leaves nothing after the upload expiry", async () => {
    const scene = await traineeWithSession();
    const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("video", 6), { sendBytes: CHUNK + 10 });
    expect(await stored(id)).toEqual({ chunks: 1, blob: 1 });
    expect(await purge(new Date(Date.now() + 60_000))).toEqual(NOTHING);
    const expiry = env().UPLOAD_EXPIRY_HOURS * 60 * 60 * 1000;
    expect(await purge(new Date(Date.now() + expiry + 60_000))).toEqual({ ...NOTHING, purged: 1, blobsDeleted: 1 });
    expect(await stored(id)).toEqual({ chunks: 0, blob: 0 });
    expect(await row(id)).toMatchObject({ status: "PURGED", wrappedKey: null });
  });

  it("when deleting the bytes fails, the key is gone already and a later run deletes them", async () => {
    const scene = await traineeWithSession();
    const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("audio", 2));
    await withdraw(scene.cookie, id);
    // A store whose database cannot be reached (its file's folder does not exist).
    const unreachable = createPrisma("file:/nonexistent-attune-folder/recordings.db");
    try {
      const first = await purge(new Date(), new DbBlobStore(unreachable));
      expect(first).toMatchObject({ purged: 1, blobsDeleted: 0 });
      // This recording's bytes, and the sweeps that found the store unreachable (each counted once).
      expect(first.failed).toBeGreaterThanOrEqual(1);
    } finally {
      await unreachable.$disconnect().catch(() => {});
    }
    expect(await row(id)).toMatchObject({ status: "PURGED", wrappedKey: null, keyId: null });
    expect((await stored(id)).chunks).toBeGreaterThan(0);
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ level: "warn", recordingId: id, what: "purged" }));
    expect(await getDb().auditEvent.count({ where: { type: "recording.purged", subjectId: id } })).toBe(1);

    expect(await purge(new Date())).toEqual({ ...NOTHING, leftoverBlobsDeleted: 1 });
    expect(await stored(id)).toEqual({ chunks: 0, blob: 0 });
    expect(await purge(new Date())).toEqual(NOTHING);
    expect(await getDb().auditEvent.count({ where: { type: "recording.purged", subjectId: id } })).toBe(1);
  });
});
