/**
 * The database implementation of BlobStore: sealed chunks as RecordingChunk
 * rows, header and manifest in a RecordingBlob row. It lets several app
 * instances on one PostgreSQL database share recordings (an upload begun on one
 * instance can be resumed on another). Only ciphertext reaches the database.
 * Reads go chunk by chunk, so a range never loads the whole file.
 */
import type { Db } from "#app/db.server";
import { assertIndex, type BlobStatus, type BlobStore, parseManifest, type RecordingManifest } from "#app/storage/blob-store.server";
import { RecordingError } from "#app/storage/errors.server";
import { assertRecordingId, type PlaintextSummary } from "#app/storage/format.server";

/** RecordingChunk.index is a 32-bit signed column (PostgreSQL int4): refuse what it cannot hold as a state error. */
function assertColumnIndex(index: number): void {
  if (index > 0x7fff_ffff) throw new RecordingError("state", `Chunk index ${index} is beyond what the database store keeps.`);
}

export class DbBlobStore implements BlobStore {
  constructor(private readonly db: Db) {}

  async begin(recordingId: string, header: Uint8Array): Promise<void> {
    assertRecordingId(recordingId);
    const exists = await this.db.recordingBlob.findUnique({ where: { recordingId }, select: { recordingId: true } });
    if (exists) throw new RecordingError("state", `Recording ${recordingId} already exists.`);
    await this.db.recordingBlob.create({ data: { recordingId, header: Uint8Array.from(header) } });
  }

  async writeChunk(recordingId: string, index: number, bytes: Uint8Array): Promise<void> {
    assertIndex(index);
    assertColumnIndex(index);
    const data = Uint8Array.from(bytes);
    await this.db.$transaction(async (tx) => {
      // Touch the blob only while it is incomplete (its updatedAt is the last write: abandoned uploads are found by
      // it). The condition is checked and the row locked in the same statement, so a finalize that lands between
      // two writes can never be undone by the later one, and no chunk is added to a finalized recording.
      const { count } = await tx.recordingBlob.updateMany({ where: { recordingId, manifest: null }, data: { updatedAt: new Date() } });
      if (count === 0) {
        const exists = await tx.recordingBlob.findUnique({ where: { recordingId }, select: { recordingId: true } });
        throw new RecordingError("state", exists ? `Recording ${recordingId} is finalized.` : `Recording ${recordingId} was never begun.`);
      }
      await tx.recordingChunk.upsert({
        where: { recordingId_index: { recordingId, index } },
        create: { recordingId, index, data },
        update: { data },
      });
    });
  }

  /** Every chunk is committed by its own writeChunk. */
  async sync(recordingId: string): Promise<void> {
    assertRecordingId(recordingId);
  }

  async finalize(recordingId: string, summary: PlaintextSummary): Promise<RecordingManifest> {
    const status = await this.status(recordingId);
    if (!status) throw new RecordingError("state", `Recording ${recordingId} was never begun.`);
    if (status.state === "complete") throw new RecordingError("state", `Recording ${recordingId} is already finalized.`);
    const [count, highest] = await Promise.all([
      this.db.recordingChunk.count({ where: { recordingId } }),
      this.db.recordingChunk.findFirst({ where: { recordingId }, orderBy: { index: "desc" }, select: { index: true } }),
    ]);
    if (count !== summary.chunkCount || (highest?.index ?? -1) !== summary.chunkCount - 1) {
      throw new RecordingError("state", `Recording ${recordingId} has ${count} chunk(s), expected 0…${summary.chunkCount - 1}.`);
    }
    const manifest: RecordingManifest = { ...summary, finalizedAt: new Date().toISOString() };
    const { count: finalized } = await this.db.recordingBlob.updateMany({
      where: { recordingId, manifest: null },
      data: { manifest: JSON.stringify(manifest) },
    });
    if (finalized === 0) throw new RecordingError("state", `Recording ${recordingId} is already finalized.`);
    return manifest;
  }

  async readHeader(recordingId: string): Promise<Buffer> {
    const blob = await this.db.recordingBlob.findUnique({ where: { recordingId }, select: { header: true } });
    if (!blob) throw new RecordingError("state", `No recording ${recordingId}.`);
    return Buffer.from(blob.header);
  }

  async replaceHeader(recordingId: string, header: Uint8Array): Promise<void> {
    const { count } = await this.db.recordingBlob.updateMany({ where: { recordingId }, data: { header: Uint8Array.from(header) } });
    if (count === 0) throw new RecordingError("state", `No recording ${recordingId}.`);
  }

  async *readChunks(recordingId: string, from: number, to: number): AsyncGenerator<Buffer> {
    assertIndex(from);
    assertColumnIndex(from);
    for (let index = from; index < to; index++) {
      const row = await this.db.recordingChunk.findUnique({ where: { recordingId_index: { recordingId, index } }, select: { data: true } });
      if (!row) throw new RecordingError("integrity", `Chunk ${index} of recording ${recordingId} is missing.`);
      yield Buffer.from(row.data);
    }
  }

  async status(recordingId: string): Promise<BlobStatus | null> {
    const blob = await this.db.recordingBlob.findUnique({ where: { recordingId }, select: { manifest: true, updatedAt: true } });
    if (!blob) return null;
    if (blob.manifest === null) return { state: "incomplete", updatedAt: blob.updatedAt };
    return { state: "complete", manifest: parseManifest(blob.manifest, recordingId) };
  }

  async delete(recordingId: string): Promise<void> {
    await this.db.$transaction([
      this.db.recordingChunk.deleteMany({ where: { recordingId } }),
      this.db.recordingBlob.deleteMany({ where: { recordingId } }),
    ]);
  }

  async listExpiredIncomplete(before: Date): Promise<string[]> {
    const rows = await this.db.recordingBlob.findMany({
      where: { manifest: null, updatedAt: { lt: before } },
      orderBy: { recordingId: "asc" },
      select: { recordingId: true },
    });
    return rows.map((r) => r.recordingId);
  }
}
