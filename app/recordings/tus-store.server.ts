/**
 * A tus DataStore that encrypts as the bytes arrive (ADR 0018): plaintext is
 * held in memory one chunk at a time and never written anywhere. Each complete
 * chunk is sealed with the recording's data key and handed to the BlobStore.
 * The resume offset (Recording.receivedBytes) moves only at checkpoints — every
 * CHECKPOINT_BYTES and at the end of every request, broken off or not — after
 * the store has flushed the chunks it covers, so it never claims bytes a crash
 * could lose; the client resends from the offset the server reports. A flush
 * inside a request runs while the next bytes are received and sealed, so the
 * upload does not stop for the disk at every checkpoint (ADR 0039).
 *
 * The first chunk is sniffed as soon as it is complete: a file that is not an
 * accepted audio/video container is refused then, not after gigabytes. When
 * the last chunk lands, one decrypting pass reads duration and streams
 * (app/media/sniff.server.ts); the SHA-256 is computed as the bytes arrive, and
 * by that pass only when the upload was resumed where this process no longer
 * holds the hash's state. A file that fails is destroyed and the reason kept
 * on its row.
 */

import { createHash, type Hash } from "node:crypto";
import type { Readable } from "node:stream";
import { DataStore, ERRORS, Upload } from "@tus/utils";
import type { Db } from "#app/db.server";
import { type RetentionPolicy, unratedDeadline } from "#app/domain/retention";
import { detectType, MediaRejected, SNIFF_BYTES, sniffMedia } from "#app/media/sniff.server";
import { advanceUpload, completeUpload, findUpload, rejectUpload, setUploadKey, type UploadRow } from "#app/models/recording.server";
import type { BlobStore } from "#app/storage/blob-store.server";
import { RecordingError } from "#app/storage/errors.server";
import {
  chunkCountFor,
  decodeHeader,
  decryptRange,
  encodeHeader,
  encryptChunk,
  newDataKey,
  newHeader,
  type RecordingHeader,
} from "#app/storage/format.server";
import type { Keyring } from "#app/storage/keys.server";

/** What tus sends back when a request is refused: a status and a message the person can read. */
export type TusRefusal = { status_code: number; body: string };

export function refusal(status: number, message: string): TusRefusal {
  return { status_code: status, body: message };
}

export type TusStoreDeps = {
  db: Db;
  store: BlobStore;
  keyring: Keyring;
  chunkSize: number;
  retention: RetentionPolicy;
  /** Passed to the media probe (tests point it at a slower or missing ffprobe). */
  probe?: { ffprobePath?: string; timeoutMs?: number };
  /** How many sealed bytes may wait for the store's sync before the row records them (and at every request's end). */
  checkpointBytes: number;
};

/** Sealed chunks handed to the store and not yet written, at most. */
const WRITES_IN_FLIGHT = 4;

/** How far behind the stream the recorded offset may fall: 64 MiB, one sync and one row update per that much. */
export const CHECKPOINT_BYTES = 64 * 1024 * 1024;

/**
 * SHA-256 states of uploads this process is receiving, each valid for the bytes [0, offset): a request that
 * resumes exactly there continues it. Bounded; anything missing (a restart, another instance) is hashed by the
 * finishing pass instead.
 */
class RunningHashes {
  readonly #states = new Map<string, { offset: number; hash: Hash }>();
  constructor(private readonly limit = 256) {}

  keep(id: string, offset: number, hash: Hash): void {
    this.#states.delete(id);
    this.#states.set(id, { offset, hash });
    if (this.#states.size > this.limit) this.#states.delete(this.#states.keys().next().value as string);
  }

  take(id: string, offset: number): Hash | null {
    const state = this.#states.get(id);
    this.#states.delete(id);
    return state && state.offset === offset ? state.hash : null;
  }
}

export class EncryptingTusStore extends DataStore {
  readonly #hashes = new RunningHashes();

  constructor(private readonly deps: TusStoreDeps) {
    super();
    this.extensions = ["creation", "creation-with-upload", "termination", "expiration"];
  }

  async #row(uploadId: string): Promise<UploadRow> {
    const row = await findUpload(this.deps.db, uploadId);
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    return row;
  }

  /** The row was reserved by the upload gate; this begins its encrypted blob. */
  override async create(upload: Upload): Promise<Upload> {
    const row = await this.#row(upload.id);
    if (row.status !== "UPLOADING" || row.wrappedKey) throw ERRORS.INVALID_TERMINATION;
    const { keyring, store, chunkSize, db } = this.deps;
    const dataKey = newDataKey();
    try {
      const wrapped = keyring.wrap(dataKey, row.id);
      await store.begin(row.id, encodeHeader(newHeader(keyring.currentId, chunkSize)));
      await setUploadKey(db, row.id, { wrappedKey: wrapped.wrapped.toString("base64"), keyId: wrapped.keyId });
    } finally {
      dataKey.fill(0);
    }
    return new Upload({ id: upload.id, size: row.declaredSize, offset: 0, creation_date: row.createdAt.toISOString() });
  }

  override async getUpload(uploadId: string): Promise<Upload> {
    const row = await this.#row(uploadId);
    if (row.status === "REJECTED" || row.status === "PURGED" || row.status === "WITHDRAWN") throw ERRORS.FILE_NO_LONGER_EXISTS;
    const offset = row.status === "READY" ? row.declaredSize : row.receivedBytes;
    // No metadata is ever kept or sent back (no personal data in Upload-Metadata).
    return new Upload({ id: uploadId, size: row.declaredSize, offset, creation_date: row.createdAt.toISOString() });
  }

  override getExpiration(): number {
    return this.deps.retention.uploadExpiryHours * 60 * 60 * 1000;
  }

  /** Expired uploads are removed by the purge (app/recordings/purge.server.ts), which also keeps their tombstones. */
  override async deleteExpired(): Promise<number> {
    return 0;
  }

  /** The person cancelled the upload: its bytes are destroyed, its row says so. */
  override async remove(uploadId: string): Promise<void> {
    const row = await this.#row(uploadId);
    if (row.status !== "UPLOADING") throw ERRORS.INVALID_TERMINATION;
    this.#hashes.take(row.id, -1);
    await this.deps.store.delete(row.id);
    await rejectUpload(this.deps.db, row.id, "The upload was cancelled.");
  }

  #keyOf(row: UploadRow, header: RecordingHeader): Buffer {
    if (!row.wrappedKey || !row.keyId) throw new RecordingError("state", `Upload ${row.id} has no data key.`);
    if (header.keyId !== row.keyId) throw new RecordingError("key", `Upload ${row.id} header and row disagree on the key.`);
    return this.deps.keyring.unwrap({ keyId: row.keyId, wrapped: Buffer.from(row.wrappedKey, "base64") }, row.id);
  }

  override async write(readable: Readable, uploadId: string, offset: number): Promise<number> {
    const row = await this.#row(uploadId);
    if (row.status !== "UPLOADING") throw ERRORS.FILE_NO_LONGER_EXISTS;
    if (offset !== row.receivedBytes) throw ERRORS.INVALID_OFFSET;
    const { store, db } = this.deps;
    const header = decodeHeader(await store.readHeader(row.id));
    const chunkSize = header.chunkSize;
    if (offset % chunkSize !== 0) throw ERRORS.INVALID_OFFSET;
    const size = row.declaredSize;
    const dataKey = this.#keyOf(row, header);
    const hash = offset === 0 ? createHash("sha256") : this.#hashes.take(row.id, offset);
    const buffer = Buffer.alloc(chunkSize);
    let filled = 0;
    /** Sealed and handed to the store. */
    let sealed = offset;
    /** Flushed by the store and recorded on the row: where a resumed upload starts. */
    let recorded = offset;
    // Chunk writes run on the thread pool while the next chunk is sealed: up to WRITES_IN_FLIGHT at once.
    const inFlight: Promise<void>[] = [];
    let writeFailure: unknown = null;
    const settle = async (keep: number) => {
      while (inFlight.length > keep) await inFlight.shift();
    };
    // A checkpoint's sync waits on the disk: it runs while the next bytes are received and sealed (at most one at a
    // time), and moves the recorded offset only to what was written before it began.
    let syncing: Promise<void> | null = null;
    let checkpointFailure: unknown = null;
    /** Sealed and written when the running checkpoint began: what it will record. */
    let syncingTo = offset;
    const startCheckpoint = async () => {
      if (syncing) await syncing;
      await settle(0);
      if (writeFailure) throw writeFailure; // a chunk is missing: never record past it
      if (checkpointFailure) throw checkpointFailure;
      if (sealed === recorded) return;
      const from = recorded;
      const to = sealed;
      syncingTo = to;
      syncing = (async () => {
        await store.sync(row.id);
        if (!(await advanceUpload(db, row.id, from, to))) throw ERRORS.INVALID_OFFSET;
        recorded = to;
      })()
        .catch((error: unknown) => {
          checkpointFailure ??= error;
        })
        .finally(() => {
          syncing = null;
        });
    };
    /** Every sealed byte flushed and recorded (the end of a request, broken off or not). */
    const checkpoint = async () => {
      await startCheckpoint();
      if (syncing) await syncing;
      if (checkpointFailure) throw checkpointFailure;
    };
    const seal = async () => {
      const index = sealed / chunkSize;
      const last = sealed + filled === size;
      const plaintext = buffer.subarray(0, filled);
      if (index === 0) await this.#sniffFirstChunk(row, plaintext);
      const written = store.writeChunk(row.id, index, encryptChunk({ recordingId: row.id, header, dataKey }, index, plaintext, last));
      written.catch((error: unknown) => {
        writeFailure ??= error; // awaited by settle too; until then a failure must not count as unhandled
      });
      inFlight.push(written);
      hash?.update(plaintext);
      sealed += filled;
      filled = 0;
      if (checkpointFailure) throw checkpointFailure;
      if (sealed - syncingTo >= this.deps.checkpointBytes) await startCheckpoint();
      else await settle(WRITES_IN_FLIGHT - 1);
    };
    try {
      for await (const piece of readable as AsyncIterable<Buffer>) {
        let at = 0;
        while (at < piece.length) {
          if (sealed + filled + (piece.length - at) > size) throw ERRORS.ERR_SIZE_EXCEEDED;
          const n = Math.min(chunkSize - filled, piece.length - at);
          piece.copy(buffer, filled, at, at + n);
          filled += n;
          at += n;
          if (filled === chunkSize || sealed + filled === size) await seal();
        }
      }
      // A partial chunk that is not the end of the file is dropped: the client resends it from `recorded`.
      await checkpoint();
      if (recorded === size) await this.#finish(row, header, dataKey, hash);
      else if (hash) this.#hashes.keep(row.id, recorded, hash);
      return recorded;
    } catch (error) {
      // The request broke off (or was refused): what was sealed is kept and recorded, so the client resumes there.
      // (After a failed chunk write the checkpoint fails: the offset stays where it was, and those bytes are resent.)
      await checkpoint().catch(() => {});
      if (hash && recorded === sealed && recorded < size) this.#hashes.keep(row.id, recorded, hash);
      throw error;
    } finally {
      buffer.fill(0);
      dataKey.fill(0);
    }
  }

  async #sniffFirstChunk(row: UploadRow, plaintext: Uint8Array): Promise<void> {
    try {
      await detectType(plaintext.subarray(0, SNIFF_BYTES));
    } catch (error) {
      if (error instanceof MediaRejected) await this.#refuse(row, error.message, 415);
      throw error;
    }
  }

  async #refuse(row: UploadRow, message: string, status: number): Promise<never> {
    await this.deps.store.delete(row.id);
    await rejectUpload(this.deps.db, row.id, message);
    throw refusal(status, message);
  }

  /**
   * All bytes are in: check the media, hash (unless the SHA-256 ran along with the upload), seal the manifest, and
   * make the recording playable.
   */
  async #finish(row: UploadRow, header: RecordingHeader, dataKey: Uint8Array, running: Hash | null): Promise<void> {
    const { store, db, retention } = this.deps;
    const size = row.declaredSize;
    /** Plaintext bytes [start, end) of the upload, decrypted and verified chunk by chunk. */
    const plain = (start: number, end: number) =>
      decryptRange(
        { recordingId: row.id, header, dataKey, plaintextSize: size, readChunks: (from, to) => store.readChunks(row.id, from, to) },
        { start, end },
      );
    const pieces: Buffer[] = [];
    for await (const piece of plain(0, Math.min(size, SNIFF_BYTES))) pieces.push(piece);
    const head = Buffer.concat(pieces);
    // One decrypting pass serves the media check and, when the upload came in over several requests or instances
    // (a hash's state cannot be carried across them), the SHA-256: the check reads what it needs, the rest is hashed
    // after it. Its reader may stop early (ffprobe exits), so stopping must not close the pass itself.
    const hash = running ? null : createHash("sha256");
    const pass = plain(0, size)[Symbol.asyncIterator]();
    let drained = false;
    const next = async (): Promise<IteratorResult<Buffer>> => {
      const r = await pass.next();
      if (r.done) drained = true;
      else hash?.update(r.value);
      return r;
    };
    const forCheck: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: () => ({ next, return: async () => ({ done: true, value: undefined }) }),
    };
    let info: Awaited<ReturnType<typeof sniffMedia>>;
    try {
      // With the hash in hand nothing needs every byte: the audio parser seeks. Without it, it reads the pass.
      info = await sniffMedia(head, forCheck, size, { ...this.deps.probe, randomAccess: running ? plain : undefined });
    } catch (error) {
      await pass.return?.(undefined);
      if (error instanceof MediaRejected) await this.#refuse(row, error.message, 422);
      throw error;
    }
    let sha256: string;
    if (hash) {
      while (!drained) await next();
      sha256 = hash.digest("hex");
    } else {
      await pass.return?.(undefined);
      sha256 = (running as Hash).digest("hex");
    }
    await store.finalize(row.id, { size, sha256, chunkCount: chunkCountFor(size, header.chunkSize) });
    const completed = await completeUpload(db, {
      id: row.id,
      ownerId: row.ownerId,
      mimeType: info.mime,
      hasVideo: info.hasVideo,
      durationSeconds: info.durationSeconds,
      sha256,
      size,
      deleteAfter: unratedDeadline(retention, new Date()),
    });
    if (!completed) throw refusal(409, "This recording was withdrawn while it was uploading; it will not be kept.");
  }
}
