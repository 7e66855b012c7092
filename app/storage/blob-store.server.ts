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
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { RecordingError } from "#app/storage/errors.server";
import { assertRecordingId, type PlaintextSummary, RECORDING_ID_PATTERN } from "#app/storage/format.server";

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

const HEADER_FILE = "header.bin";
const MANIFEST_FILE = "manifest.json";
const CHUNK_FILE = /^(\d{10})\.chunk$/;
const chunkFile = (index: number) => `${String(index).padStart(10, "0")}.chunk`;

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

/** Recordings whose manifest and header FileBlobStore keeps in memory (a few hundred bytes each). */
const MEMO_LIMIT = 2048;

/** How many chunk files `sync` flushes at once (the kernel can then commit them in one journal transaction). */
const SYNC_PARALLEL = 16;

/**
 * One directory per recording under `root` (data/recordings by default):
 * header.bin, 0000000000.chunk …, manifest.json once complete. Every file is
 * written to a temporary name and renamed into place, so a reader never sees
 * half a chunk. Header and manifest are flushed to disk before the rename;
 * chunks are flushed by `sync` (a batch at a time: one fsync per chunk made
 * uploads wait on the disk for every MiB), which the uploader calls before it
 * records how far an upload has come, and finalize calls before the manifest.
 * The directory's mtime is its last write.
 */
export class FileBlobStore implements BlobStore {
  /** Chunk files written but not yet flushed, per recording. */
  readonly #unsynced = new Map<string, Set<string>>();
  /**
   * What playback reads before every range (status, header), kept per recording so a range request costs one
   * `stat` instead of opening and reading two files (docs/benchmarks.md, "Range reads"). A complete recording's
   * manifest never changes (its directory is gone once deleted, which `status` sees); a header is kept with its
   * file's inode, mtime and size (a replaced header is a new file renamed over it, in this process or another) and
   * dropped by this process's own writes. Bounded; oldest out first.
   */
  readonly #memo = new Map<string, { manifest?: RecordingManifest; header?: { version: string; bytes: Buffer } }>();

  #remember(recordingId: string, entry: { manifest?: RecordingManifest; header?: { version: string; bytes: Buffer } }): void {
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
  }

  async writeChunk(recordingId: string, index: number, bytes: Uint8Array): Promise<void> {
    assertIndex(index);
    const dir = this.#dir(recordingId);
    if (await this.#isComplete(dir)) throw new RecordingError("state", `Recording ${recordingId} is finalized.`);
    try {
      await this.#writeAtomically(dir, chunkFile(index), bytes, false);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new RecordingError("state", `Recording ${recordingId} was never begun.`);
      throw error;
    }
    const pending = this.#unsynced.get(recordingId) ?? new Set<string>();
    pending.add(chunkFile(index));
    this.#unsynced.set(recordingId, pending);
  }

  async sync(recordingId: string): Promise<void> {
    const dir = this.#dir(recordingId);
    const pending = this.#unsynced.get(recordingId);
    if (!pending || pending.size === 0) return;
    const names = [...pending];
    for (let at = 0; at < names.length; at += SYNC_PARALLEL) {
      await Promise.all(names.slice(at, at + SYNC_PARALLEL).map((name) => flushFile(path.join(dir, name))));
    }
    await flushFile(dir); // the renames
    for (const name of names) pending.delete(name);
    if (pending.size === 0) this.#unsynced.delete(recordingId);
  }

  async finalize(recordingId: string, summary: PlaintextSummary): Promise<RecordingManifest> {
    const dir = this.#dir(recordingId);
    const status = await this.status(recordingId);
    if (!status) throw new RecordingError("state", `Recording ${recordingId} was never begun.`);
    if (status.state === "complete") throw new RecordingError("state", `Recording ${recordingId} is already finalized.`);
    await this.sync(recordingId);
    const indexes = await this.#chunkIndexes(dir);
    const contiguous = indexes.length === summary.chunkCount && indexes.every((n, i) => n === i);
    if (!contiguous) {
      throw new RecordingError("state", `Recording ${recordingId} has ${indexes.length} chunk(s), expected 0…${summary.chunkCount - 1}.`);
    }
    const manifest: RecordingManifest = { ...summary, finalizedAt: new Date().toISOString() };
    await this.#writeAtomically(dir, MANIFEST_FILE, Buffer.from(JSON.stringify(manifest)));
    return manifest;
  }

  async #chunkIndexes(dir: string): Promise<number[]> {
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
      return { state: "incomplete", updatedAt: dirStat.mtime };
    }
    const manifest = parseManifest(text, recordingId);
    this.#remember(recordingId, { manifest });
    return { state: "complete", manifest };
  }

  async delete(recordingId: string): Promise<void> {
    const dir = this.#dir(recordingId);
    this.#unsynced.delete(recordingId);
    this.#memo.delete(recordingId);
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
