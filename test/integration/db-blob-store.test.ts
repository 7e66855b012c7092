// The database blob store (RecordingBlob + RecordingChunk rows) against the shared BlobStore contract, on SQLite and
// PostgreSQL: the same cases the filesystem store passes (test/unit/blob-store-contract.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { DbBlobStore } from "#app/storage/db-blob-store.server";
import { encodeHeader, newHeader } from "#app/storage/format.server";
import { blobStoreContract, CONTRACT_CHUNK } from "../support/blob-store-contract";
import { reservedRecording, traineeWithSession } from "../support/recording-rows";

let owner: Awaited<ReturnType<typeof traineeWithSession>>;
beforeAll(async () => {
  owner = await traineeWithSession();
});

blobStoreContract("DbBlobStore", () => {
  const db = getDb();
  return {
    store: new DbBlobStore(db),
    newId: () => reservedRecording(owner, "db"),
    storedBytes: async (recordingId) => {
      const blob = await db.recordingBlob.findUnique({ where: { recordingId } });
      const chunks = await db.recordingChunk.findMany({ where: { recordingId }, orderBy: { index: "asc" } });
      if (!blob) return chunks.map((c) => Buffer.from(c.data));
      return [Buffer.from(blob.header), Buffer.from(blob.manifest ?? ""), ...chunks.map((c) => Buffer.from(c.data))];
    },
    tamperChunk: async (recordingId, index, change) => {
      const where = { recordingId_index: { recordingId, index } };
      const row = await db.recordingChunk.findUniqueOrThrow({ where });
      const changed = change(Buffer.from(row.data));
      if (changed === null) await db.recordingChunk.delete({ where });
      else await db.recordingChunk.update({ where, data: { data: Uint8Array.from(changed) } });
    },
    age: async (recordingId, when) => {
      await db.recordingBlob.update({ where: { recordingId }, data: { updatedAt: when } });
    },
  };
});

describe("DbBlobStore beyond the contract", () => {
  const header = encodeHeader(newHeader("k1", CONTRACT_CHUNK));

  it("refuses a chunk index the int4 column cannot hold with a state error, not a database error", async () => {
    const store = new DbBlobStore(getDb());
    const id = await reservedRecording(owner, "db");
    await store.begin(id, header);
    await expect(store.writeChunk(id, 2 ** 31, Buffer.from("x"))).rejects.toMatchObject({ code: "state" });
    await store.writeChunk(id, 2 ** 31 - 1, Buffer.from("x"));
  });

  it("a write racing finalize never undoes it: the recording ends complete, with its chunks as finalized", async () => {
    const store = new DbBlobStore(getDb());
    for (let round = 0; round < 8; round++) {
      const id = await reservedRecording(owner, "db");
      await store.begin(id, header);
      await store.writeChunk(id, 0, Buffer.from("zero"));
      const late = Array.from({ length: 4 }, () => store.writeChunk(id, 0, Buffer.from("zero")).catch((e: unknown) => e));
      const finalized = store.finalize(id, { size: 4, sha256: "", chunkCount: 1 });
      const outcomes = await Promise.all(late);
      await finalized;
      for (const o of outcomes) if (o !== undefined) expect(o).toMatchObject({ code: "state" });
      expect(await store.status(id), `round ${round}`).toMatchObject({ state: "complete" });
      expect(await store.listExpiredIncomplete(new Date(Date.now() + 60_000))).not.toContain(id);
    }
  });
});
