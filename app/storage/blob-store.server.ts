/**
 * Where encrypted recordings are kept. The store only ever sees sealed bytes
 * (format.server.ts): a header and numbered chunks, which maps one-to-one onto
 * database rows (recordingId, index, bytes) for the database implementation that
 * comes with the schema. Wrapped data keys are NOT kept here (keys.server.ts):
 * they belong with the recording's row, so deleting them shreds the blobs.
 *
 * Life of a recording: begin(header) → writeChunk(i) any number of times, in any
 * order, overwriting (resumable uploads) → finalize(manifest) → readChunks /
 * stat → delete. Uploads that never finish are found by listExpiredIncomplete.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { RecordingError } from "#app/storage/errors.server";
import { assertRecordingId, decodeHeader, type PlaintextSummary, RECORDING_ID_PATTERN, TAG_BYTES } from "#app/storage/format.server";

/** What finalize records: the encryptor's summary (plaintext size, SHA-256, chunk count). */
export type RecordingManifest = PlaintextSummary & { finalizedAt: string };

export type BlobStatus = { state: "incomplete"; updatedAt: Date } | { state: "complete"; manifest: RecordingManifest };

export interface BlobStore {
  /** Starts a recording with its (public) header; refuses an id that exists. */
  begin(recordingId: string, header: Uint8Array): Promise<void>;
  /**
   * Stores sealed chunk `index`, replacing an earlier write of the same index; refused after finalize. It may sit in
   * the operating system's cache until `sync`: a crash can lose or tear it (and the format then refuses it).
   */
  writeChunk(recordingId: string, index: number, bytes: Uint8Array): Promise<void>;
  /** Makes every chunk this store object has written for the recording durable (on disk / committed). */
  sync(recordingId: string): Promise<void>;
  /** Syncs, then marks the recording complete; every chunk 0 … chunkCount−1 must be present and none beyond. */
  finalize(recordingId: string, summary: PlaintextSummary): Promise<RecordingManifest>;
  readHeader(recordingId: string): Promise<Buffer>;
  /** Replaces the header of an existing recording (key rotation changes its key id; the chunks stay). */
  replaceHeader(recordingId: string, header: Uint8Array): Promise<void>;
  /** Sealed chunks [from, to) in order; a missing chunk → RecordingError("integrity"). */
  readChunks(recordingId: string, from: number, to: number): AsyncIterable<Buffer>;
  /** Null when there is no such recording. */
  status(recordingId: string): Promise<BlobStatus | null>;
  /** Removes the header and every chunk; no error if already gone. */
  delete(recordingId: string): Promise<void>;
  /** Ids of incomplete recordings with no write since `before` (abandoned uploads, to delete). */
  listExpiredIncomplete(before: Date): Promise<string[]>;
}

export const HEADER_FILE = "header.bin";
const MANIFEST_FILE = "manifest.json";
/** Every sealed chunk of a recording, each in a slot of its own (ADR 0039). */
export const CHUNKS_FILE = "chunks.bin";
/** Before ADR 0039 each chunk was a file of its own; recordings stored that way are still read and finished. */
const CHUNK_FILE = /^(\d{10})\.chunk$/;
const chunkFile = (index: number) => `${String(index).padStart(10, "0")}.chunk`;

/**
 * Slot i of chunks.bin starts at byte i × slot size: a 4-byte big-endian word (the top bit says the slot holds a
 * chunk, the rest is its length), then the chunk's bytes. The slot size fits the largest sealed chunk the header
 * allows, so chunk i's place is known without an index, a rewritten chunk replaces its slot in place, and a slot
 * never written (a hole in the file) reads as zeros: absent.
 */
export const SLOT_PREFIX_BYTES = 4;
const SLOT_PRESENT = 0x8000_0000;

export function slotBytesFor(header: Uint8Array): number {
  return decodeHeader(header).chunkSize + TAG_BYTES + SLOT_PREFIX_BYTES;
}

export function slotPrefix(length: number): Buffer {
  const prefix = Buffer.alloc(SLOT_PREFIX_BYTES);
  prefix.writeUInt32BE((SLOT_PRESENT | length) >>> 0);
  return prefix;
}

/** The length of the chunk in a slot whose first bytes are `prefix`, or null when the slot holds none. */
export function slotLength(prefix: Uint8Array): number | null {
  if (prefix.length < SLOT_PREFIX_BYTES) return null;
  const word = Buffer.from(prefix.buffer, prefix.byteOffset, SLOT_PREFIX_BYTES).readUInt32BE(0);
  return word & SLOT_PRESENT ? (word & ~SLOT_PRESENT) >>> 0 : null;
}

/** How many bytes of slots one read of chunks.bin asks for at most (a few chunks, so a whole-file pass is not a read per chunk). */
const READ_BATCH_BYTES = 1024 * 1024;

/** chunks.bin handles kept open between the chunk writes of an upload, at most (idle ones beyond it are closed). */
const WRITERS_LIMIT = 64;

type Writer = { handle: FileHandle; slot: number; busy: number };

/** fsync of a file (or a directory, for the names in it); a file replaced since is flushed under its new content. */
async function flushFile(file: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // deleted meanwhile: nothing to keep
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function parseManifest(text: string, recordingId: string): RecordingManifest {
  const damaged = () => new RecordingError("integrity", `The manifest of recording ${recordingId} is damaged.`);
  let m: Partial<Record<keyof RecordingManifest, unknown>>;
  try {
    m = JSON.parse(text);
  } catch {
    throw damaged();
  }
  const count = (n: unknown, min: number) => typeof n === "number" && Number.isSafeInteger(n) && n >= min;
  if (!count(m.size, 0) || !count(m.chunkCount, 1) || typeof m.sha256 !== "string" || typeof m.finalizedAt !== "string") throw damaged();
  return m as RecordingManifest;
}

export function assertIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > 0xffff_ffff) throw new RecordingError("state", `Bad chunk index ${index}.`);
}

type Memo = { manifest?: RecordingManifest; header?: { version: string; bytes: Buffer }; slot?: number };

/** Recordings whose manifest and header FileBlobStore keeps in memory (a few hundred bytes each). */
const MEMO_LIMIT = 2048;

/** How many chunk files `sync` flushes at once (the kernel can then commit them in one journal transaction). */
const SYNC_PARALLEL = 16;

/**
 * One directory per recording under `root` (data/recordings by default):
 * header.bin, chunks.bin (every sealed chunk in a fixed-size slot, written in
 * place: ADR 0039), manifest.json once complete. Header and manifest are
 * written to a temporary name, flushed and renamed into place. Chunks are
 * flushed by `sync` (one fsync of chunks.bin), which the uploader calls before
 * it records how far an upload has come, and finalize calls before the
 * manifest; a chunk torn by a crash before that fails authentication and is
 * resent. An incomplete upload's last write is the later of its directory's
 * and its chunks.bin's mtime. Recordings stored before ADR 0039 (one file per
 * chunk, no chunks.bin) are read, and finished, in that layout.
 */
export class FileBlobStore implements BlobStore {
  /** Files written but not yet flushed, per recording (chunks.bin, or chunk files in the old layout). */
  readonly #unsynced = new Map<string, Set<string>>();
  /** Open chunks.bin handles of uploads this process is writing. */
  readonly #writers = new Map<string, Writer>();
  /**
   * What playback reads before every range (status, header), kept per recording so a range request costs one
   * `stat` instead of opening and reading two files (docs/benchmarks.md, "Range reads"). A complete recording's
   * manifest never changes (its directory is gone once deleted, which `status` sees); a header is kept with its
   * file's inode, mtime and size (a replaced header is a new file renamed over it, in this process or another) and
   * dropped by this process's own writes; the slot size follows from the chunk size, which a header replacement
   * never changes. Bounded; oldest out first.
   */
  readonly #memo = new Map<string, Memo>();

  #remember(recordingId: string, entry: Memo): void {
    const held = this.#memo.get(recordingId);
    this.#memo.delete(recordingId);
    this.#memo.set(recordingId, { ...held, ...entry });
    if (this.#memo.size > MEMO_LIMIT) this.#memo.delete(this.#memo.keys().next().value as string);
  }

  #forgetHeader(recordingId: string): void {
    const held = this.#memo.get(recordingId);
    if (held) held.header = undefined;
  }

  constructor(readonly root: string = path.join("data", "recordings")) {}

  #dir(recordingId: string): string {
    assertRecordingId(recordingId);
    return path.join(this.root, recordingId);
  }

  async #writeAtomically(dir: string, name: string, bytes: Uint8Array, flush = true): Promise<void> {
    const tmp = path.join(dir, `.tmp-${randomBytes(8).toString("hex")}`);
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(bytes);
      if (flush) await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, path.join(dir, name));
    } catch (error) {
      await unlink(tmp).catch(() => {});
      throw error;
    }
  }

  async #isComplete(dir: string): Promise<boolean> {
    return stat(path.join(dir, MANIFEST_FILE)).then(
      () => true,
      () => false,
    );
  }

  #markUnsynced(recordingId: string, name: string): void {
    const pending = this.#unsynced.get(recordingId) ?? new Set<string>();
    pending.add(name);
    this.#unsynced.set(recordingId, pending);
  }

  /** Slot size of a recording in the slot layout (from its header's chunk size). */
  async #slotBytes(recordingId: string): Promise<number> {
    const known = this.#memo.get(recordingId)?.slot;
    if (known) return known;
    const slot = slotBytesFor(await this.readHeader(recordingId));
    this.#remember(recordingId, { slot });
    return slot;
  }

  /**
   * The open chunks.bin of an upload, taken for one write (the caller gives it back: busy−−), or null when the recording is
   * in the old layout (no chunks.bin).
   */
  async #acquire(recordingId: string, dir: string): Promise<Writer | null> {
    const held = this.#writers.get(recordingId);
    if (held) {
      held.busy++;
      return held;
    }
    if (await this.#isComplete(dir)) throw new RecordingError("state", `Recording ${recordingId} is finalized.`);
    let handle: FileHandle;
    try {
      handle = await open(path.join(dir, CHUNKS_FILE), constants.O_WRONLY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const begun = await stat(dir).then(
        () => true,
        () => false,
      );
      if (!begun) throw new RecordingError("state", `Recording ${recordingId} was never begun.`);
      return null;
    }
    let slot: number;
    try {
      slot = await this.#slotBytes(recordingId);
    } catch (error) {
      await handle.close();
      throw error;
    }
    const raced = this.#writers.get(recordingId); // another write opened it meanwhile
    if (raced) {
      raced.busy++;
      await handle.close();
      return raced;
    }
    const writer: Writer = { handle, slot, busy: 1 };
    this.#writers.set(recordingId, writer);
    if (this.#writers.size > WRITERS_LIMIT) for (const id of [...this.#writers.keys()]) await this.#closeWriter(id);
    return writer;
  }

  /** Closes an upload's chunks.bin handle unless a write is using it (the next write opens it again). */
  async #closeWriter(recordingId: string): Promise<void> {
    const writer = this.#writers.get(recordingId);
    if (!writer || writer.busy > 0) return;
    this.#writers.delete(recordingId);
    await writer.handle.close();
  }

  async begin(recordingId: string, header: Uint8Array): Promise<void> {
    const dir = this.#dir(recordingId);
    this.#memo.delete(recordingId);
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new RecordingError("state", `Recording ${recordingId} already exists.`);
      throw error;
    }
    await this.#writeAtomically(dir, HEADER_FILE, header);
    await (await open(path.join(dir, CHUNKS_FILE), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)).close();
  }

  async writeChunk(recordingId: string, index: number, bytes: Uint8Array): Promise<void> {
    assertIndex(index);
    const dir = this.#dir(recordingId);
    const writer = await this.#acquire(recordingId, dir);
    if (!writer) return this.#writeChunkFile(recordingId, dir, index, bytes);
    try {
      if (bytes.length > writer.slot - SLOT_PREFIX_BYTES) {
        throw new RecordingError("state", `Chunk ${index} of recording ${recordingId} is larger than its header's chunk size allows.`);
      }
      const prefix = slotPrefix(bytes.length);
      const position = index * writer.slot;
      const { bytesWritten } = await writer.handle.writev([prefix, bytes], position);
      if (bytesWritten < prefix.length + bytes.length) {
        // A regular file takes a write whole; should the kernel take less, the rest follows.
        const whole = Buffer.concat([prefix, bytes]);
        for (let done = bytesWritten; done < whole.length; ) {
          done += (await writer.handle.write(whole, done, whole.length - done, position + done)).bytesWritten;
        }
      }
    } finally {
      writer.busy--;
    }
    this.#markUnsynced(recordingId, CHUNKS_FILE);
  }

  /** A chunk of a recording begun before ADR 0039: a file of its own, written to a temporary name and renamed. */
  async #writeChunkFile(recordingId: string, dir: string, index: number, bytes: Uint8Array): Promise<void> {
    try {
      await this.#writeAtomically(dir, chunkFile(index), bytes, false);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new RecordingError("state", `Recording ${recordingId} was never begun.`);
      throw error;
    }
    this.#markUnsynced(recordingId, chunkFile(index));
  }

  async sync(recordingId: string): Promise<void> {
    const dir = this.#dir(recordingId);
    const pending = this.#unsynced.get(recordingId);
    if (!pending || pending.size === 0) return;
    const names = [...pending];
    // Flushed names leave the set now: a write that lands while the flush runs marks its file again, for the next sync.
    for (const name of names) pending.delete(name);
    try {
      for (let at = 0; at < names.length; at += SYNC_PARALLEL) {
        await Promise.all(names.slice(at, at + SYNC_PARALLEL).map((name) => flushFile(path.join(dir, name))));
      }
      await flushFile(dir); // the names in it
    } catch (error) {
      for (const name of names) this.#markUnsynced(recordingId, name);
      throw error;
    }
    if (pending.size === 0 && this.#unsynced.get(recordingId) === pending) this.#unsynced.delete(recordingId);
    // An upload whose request has ended keeps no handle open (a write still running keeps it; the next one reopens).
    await this.#closeWriter(recordingId);
  }

  async finalize(recordingId: string, summary: PlaintextSummary): Promise<RecordingManifest> {
    const dir = this.#dir(recordingId);
    const status = await this.status(recordingId);
    if (!status) throw new RecordingError("state", `Recording ${recordingId} was never begun.`);
    if (status.state === "complete") throw new RecordingError("state", `Recording ${recordingId} is already finalized.`);
    await this.sync(recordingId);
    await this.#closeWriter(recordingId);
    const present = await this.#presentChunks(recordingId, dir, summary.chunkCount);
    if (!present)
      throw new RecordingError("state", `Recording ${recordingId} does not hold exactly the chunks 0…${summary.chunkCount - 1}.`);
    const manifest: RecordingManifest = { ...summary, finalizedAt: new Date().toISOString() };
    await this.#writeAtomically(dir, MANIFEST_FILE, Buffer.from(JSON.stringify(manifest)));
    return manifest;
  }

  /** Whether chunks 0 … count−1 are all stored, and none beyond. */
  async #presentChunks(recordingId: string, dir: string, count: number): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(path.join(dir, CHUNKS_FILE), constants.O_RDONLY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const indexes = await this.#chunkFileIndexes(dir);
      return indexes.length === count && indexes.every((n, i) => n === i);
    }
    try {
      const slot = await this.#slotBytes(recordingId);
      if ((await handle.stat()).size > count * slot) return false; // a chunk beyond the last
      const prefix = Buffer.alloc(SLOT_PREFIX_BYTES);
      for (let index = 0; index < count; index++) {
        const { bytesRead } = await handle.read(prefix, 0, SLOT_PREFIX_BYTES, index * slot);
        if (slotLength(prefix.subarray(0, bytesRead)) === null) return false;
      }
      return true;
    } finally {
      await handle.close();
    }
  }

  async #chunkFileIndexes(dir: string): Promise<number[]> {
    const names = await readdir(dir);
    return names
      .map((n) => CHUNK_FILE.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async readHeader(recordingId: string): Promise<Buffer> {
    const dir = this.#dir(recordingId);
    const missing = () => new RecordingError("state", `No recording ${recordingId}.`);
    // The file's identity: a header is only ever replaced by renaming a new file over it (a new inode).
    let version: string;
    try {
      const s = await stat(path.join(dir, HEADER_FILE), { bigint: true });
      version = `${s.ino}:${s.mtimeNs}:${s.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw missing();
      throw error;
    }
    const held = this.#memo.get(recordingId)?.header;
    if (held && held.version === version) return Buffer.from(held.bytes);
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(dir, HEADER_FILE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw missing();
      throw error;
    }
    this.#remember(recordingId, { header: { version, bytes: Buffer.from(bytes) } });
    return bytes;
  }

  async replaceHeader(recordingId: string, header: Uint8Array): Promise<void> {
    const dir = this.#dir(recordingId);
    if (!(await this.status(recordingId))) throw new RecordingError("state", `No recording ${recordingId}.`);
    this.#forgetHeader(recordingId);
    await this.#writeAtomically(dir, HEADER_FILE, header);
    this.#forgetHeader(recordingId);
  }

  async *readChunks(recordingId: string, from: number, to: number): AsyncGenerator<Buffer> {
    assertIndex(from);
    const dir = this.#dir(recordingId);
    let handle: FileHandle;
    try {
      handle = await open(path.join(dir, CHUNKS_FILE), constants.O_RDONLY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      yield* this.#readChunkFiles(recordingId, dir, from, to);
      return;
    }
    try {
      const slot = await this.#slotBytes(recordingId);
      const perRead = Math.max(1, Math.floor(READ_BATCH_BYTES / slot));
      for (let index = from; index < to; ) {
        const count = Math.min(perRead, to - index);
        const batch = Buffer.allocUnsafe(count * slot);
        let filled = 0;
        for (let n = -1; n !== 0 && filled < batch.length; filled += n) {
          n = (await handle.read(batch, filled, batch.length - filled, index * slot + filled)).bytesRead;
        }
        for (let k = 0; k < count; k++, index++) {
          const at = k * slot;
          const length = slotLength(batch.subarray(at, Math.min(filled, at + SLOT_PREFIX_BYTES)));
          if (length === null) throw new RecordingError("integrity", `Chunk ${index} of recording ${recordingId} is missing.`);
          const end = at + SLOT_PREFIX_BYTES + length;
          if (length > slot - SLOT_PREFIX_BYTES || end > filled) {
            throw new RecordingError("integrity", `Chunk ${index} of recording ${recordingId} is cut short.`);
          }
          yield batch.subarray(at + SLOT_PREFIX_BYTES, end);
        }
      }
    } finally {
      await handle.close();
    }
  }

  async *#readChunkFiles(recordingId: string, dir: string, from: number, to: number): AsyncGenerator<Buffer> {
    for (let index = from; index < to; index++) {
      try {
        yield await readFile(path.join(dir, chunkFile(index)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          throw new RecordingError("integrity", `Chunk ${index} of recording ${recordingId} is missing.`);
        }
        throw error;
      }
    }
  }

  async status(recordingId: string): Promise<BlobStatus | null> {
    const dir = this.#dir(recordingId);
    let dirStat: Awaited<ReturnType<typeof stat>>;
    try {
      dirStat = await stat(dir);
    } catch {
      this.#memo.delete(recordingId);
      return null;
    }
    const known = this.#memo.get(recordingId)?.manifest;
    if (known) return { state: "complete", manifest: known };
    let text: string;
    try {
      text = await readFile(path.join(dir, MANIFEST_FILE), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      // Chunks written in place change chunks.bin's mtime, not the directory's.
      const chunks = await stat(path.join(dir, CHUNKS_FILE)).catch(() => null);
      const updatedAt = chunks && chunks.mtime > dirStat.mtime ? chunks.mtime : dirStat.mtime;
      return { state: "incomplete", updatedAt };
    }
    const manifest = parseManifest(text, recordingId);
    this.#remember(recordingId, { manifest });
    return { state: "complete", manifest };
  }

  async delete(recordingId: string): Promise<void> {
    const dir = this.#dir(recordingId);
    this.#unsynced.delete(recordingId);
    this.#memo.delete(recordingId);
    const writer = this.#writers.get(recordingId);
    this.#writers.delete(recordingId);
    if (writer) await writer.handle.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }

  async listExpiredIncomplete(before: Date): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const expired: string[] = [];
    for (const name of names.sort()) {
      if (!RECORDING_ID_PATTERN.test(name)) continue;
      const status = await this.status(name);
      if (status?.state === "incomplete" && status.updatedAt < before) expired.push(name);
    }
    return expired;
  }
}
