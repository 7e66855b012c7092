// The BlobStore contract (app/storage/blob-store.server.ts), as vitest cases any implementation must pass: the
// filesystem store (test/unit/blob-store-contract.test.ts) and the database store on SQLite and PostgreSQL
// (test/integration/db-blob-store.test.ts). Each implementation says how to make a fresh recording id (the database
// store needs a Recording row first), how to see every stored byte, and how to damage or age what it stores.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { BlobStore } from "#app/storage/blob-store.server";
import { RecordingError } from "#app/storage/errors.server";
import {
  byteRange,
  decryptRange,
  encodeHeader,
  encryptChunk,
  newDataKey,
  newHeader,
  type RangeSpec,
  TAG_BYTES,
} from "#app/storage/format.server";
import { Keyring, type WrappedKey } from "#app/storage/keys.server";
import { readRecording, writeRecording } from "#app/storage/recordings.server";

export type ContractSubject = {
  store: BlobStore;
  /** A recording id nobody has used, ready for begin() (with whatever row the store needs). */
  newId(): Promise<string>;
  /** Every byte the store keeps for the recording (header, chunks, manifest), one buffer per file, chunk slot or row. */
  storedBytes(recordingId: string): Promise<Buffer[]>;
  /** Replaces stored chunk `index` with what `change` makes of it; null removes the chunk. */
  tamperChunk(recordingId: string, index: number, change: (bytes: Buffer) => Buffer | null): Promise<void>;
  /** Makes the recording's last write look as old as `when`. */
  age(recordingId: string, when: Date): Promise<void>;
};

export const CONTRACT_CHUNK = 4096;
const MARKER = Buffer.from("PATIENT-SAID-SOMETHING-PRIVATE");
const keyring = Keyring.fromKeys([{ id: "k1", secret: randomBytes(32) }], "k1");

function fixture(size = 40 * CONTRACT_CHUNK + 123): Buffer {
  const data = randomBytes(size);
  for (const at of [0, CONTRACT_CHUNK - 10, 20 * CONTRACT_CHUNK + 7, size - MARKER.length]) MARKER.copy(data, at);
  return data;
}

/** Feeds `data` in uneven pieces, as a network upload would. */
async function* pieces(data: Buffer): AsyncGenerator<Buffer> {
  const sizes = [1, 7, 4095, 4096, 4097, 10_000, 333];
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    yield data.subarray(offset, offset + n);
    offset += n;
  }
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordingError);
  return (error as RecordingError).code;
}

export function blobStoreContract(name: string, subject: () => ContractSubject): void {
  const CHUNK = CONTRACT_CHUNK;

  async function stored(data: Buffer) {
    const s = subject();
    const recordingId = await s.newId();
    const written = await writeRecording(s.store, keyring, recordingId, pieces(data), { chunkSize: CHUNK });
    return { ...s, recordingId, ...written };
  }
  const read = async (s: { store: BlobStore; recordingId: string; wrappedKey: WrappedKey }, spec?: RangeSpec) =>
    collect((await readRecording(s.store, keyring, s.recordingId, s.wrappedKey, spec)).body);

  describe(`BlobStore contract: ${name}`, () => {
    it("streams a recording in and reads exactly the bytes of any range back", async () => {
      const data = fixture();
      const size = data.length;
      const s = await stored(data);
      expect(s.manifest).toMatchObject({ size, chunkCount: 41, sha256: createHash("sha256").update(data).digest("hex") });
      expect(await s.store.status(s.recordingId)).toMatchObject({ state: "complete", manifest: { size, chunkCount: 41 } });
      const specs: RangeSpec[] = [
        { start: 0, end: 1 },
        { start: size - 1, end: size },
        { start: CHUNK - 1, end: CHUNK + 1 },
        { start: 3 * CHUNK - 5, end: 9 * CHUNK + 5 },
        { start: 7 * CHUNK, end: 8 * CHUNK },
        { start: 0 },
        { start: 100_000 },
        { suffix: 500 },
        { suffix: size + 10 },
        { start: CHUNK, end: CHUNK },
      ];
      for (let i = 0; i < 40; i++) {
        const a = Math.floor(Math.random() * (size + 1));
        const b = Math.floor(Math.random() * (size + 1));
        specs.push(a <= b ? { start: a, end: b } : { start: b, end: a });
      }
      for (const spec of specs) {
        const r = byteRange(size, spec);
        const got = await read(s, spec);
        expect(got.length, JSON.stringify(spec)).toBe(r.end - r.start);
        expect(got.equals(data.subarray(r.start, r.end)), JSON.stringify(spec)).toBe(true);
      }
      expect(await errorCode(read(s, { start: 0, end: size + 1 }))).toBe("range");
    });

    it("an empty recording, one byte, and an exact multiple of the chunk size", async () => {
      for (const size of [0, 1, CHUNK, 3 * CHUNK]) {
        const data = randomBytes(size);
        const s = await stored(data);
        expect(s.manifest.chunkCount).toBe(Math.max(1, Math.ceil(size / CHUNK)));
        expect((await read(s)).equals(data)).toBe(true);
      }
    });

    it("keeps only ciphertext: no marker, no run of plaintext, no data key in any stored byte", async () => {
      const data = fixture();
      const s = await stored(data);
      const dataKey = keyring.unwrap(s.wrappedKey, s.recordingId);
      const all = await s.storedBytes(s.recordingId);
      // header, 41 chunks (and a manifest where it is kept apart)
      expect(all.length).toBeGreaterThanOrEqual(42);
      for (const bytes of all) {
        expect(bytes.includes(MARKER)).toBe(false);
        expect(bytes.includes(data.subarray(5000, 5032))).toBe(false);
        expect(bytes.includes(dataKey)).toBe(false);
      }
      const total = all.reduce((n, b) => n + b.length, 0);
      expect(total).toBeGreaterThanOrEqual(data.length + 41 * TAG_BYTES);
    });

    it("chunks written out of order and rewritten (a resumed upload) read back like a streamed recording", async () => {
      const { store, newId } = subject();
      const recordingId = await newId();
      const data = randomBytes(5 * CHUNK + 77);
      const header = newHeader("k1", CHUNK);
      const dataKey = newDataKey();
      const opts = { recordingId, header, dataKey };
      await store.begin(recordingId, encodeHeader(header));
      const seal = (i: number) => encryptChunk(opts, i, data.subarray(i * CHUNK, (i + 1) * CHUNK), i === 5);
      // The first attempt at chunk 2 carried the wrong bytes (a request cut off and resent).
      await store.writeChunk(recordingId, 2, encryptChunk(opts, 2, randomBytes(CHUNK), false));
      for (const i of [3, 0, 5, 1, 4, 2]) await store.writeChunk(recordingId, i, seal(i));
      await store.writeChunk(recordingId, 4, seal(4));
      expect(await store.status(recordingId)).toMatchObject({ state: "incomplete" });
      await store.finalize(recordingId, { size: data.length, sha256: "", chunkCount: 6 });
      const body = decryptRange(
        { ...opts, plaintextSize: data.length, readChunks: (f, t) => store.readChunks(recordingId, f, t) },
        { start: 0, end: data.length },
      );
      expect((await collect(body)).equals(data)).toBe(true);
    });

    it("keeps the order: begin once, finalize only with every chunk, no writes after finalize", async () => {
      const { store, newId } = subject();
      const id = await newId();
      const header = encodeHeader(newHeader("k1", CHUNK));
      await store.begin(id, header);
      expect(await errorCode(store.begin(id, header))).toBe("state");
      await store.writeChunk(id, 1, Buffer.from("one"));
      expect(await errorCode(store.finalize(id, { size: 1, sha256: "", chunkCount: 2 }))).toBe("state");
      await store.writeChunk(id, 0, Buffer.from("zero"));
      await store.writeChunk(id, 0, Buffer.from("zero again"));
      await store.writeChunk(id, 2, Buffer.from("beyond"));
      expect(await errorCode(store.finalize(id, { size: 1, sha256: "", chunkCount: 2 }))).toBe("state");
      const other = await newId();
      await store.begin(other, header);
      await store.writeChunk(other, 0, Buffer.from("zero"));
      await store.writeChunk(other, 1, Buffer.from("one"));
      const manifest = await store.finalize(other, { size: 1, sha256: "", chunkCount: 2 });
      expect(manifest).toMatchObject({ size: 1, chunkCount: 2, finalizedAt: expect.any(String) });
      expect(await errorCode(store.finalize(other, { size: 1, sha256: "", chunkCount: 2 }))).toBe("state");
      expect(await errorCode(store.writeChunk(other, 1, Buffer.from("late")))).toBe("state");
      expect(await errorCode(store.writeChunk(other, 2, Buffer.from("late")))).toBe("state");
      expect(await errorCode(store.writeChunk(await newId(), 0, Buffer.from("x")))).toBe("state");
      expect(await errorCode(store.writeChunk(other, -1, Buffer.from("x")))).toBe("state");
      const chunks: string[] = [];
      for await (const c of store.readChunks(other, 0, 2)) chunks.push(c.toString());
      expect(chunks).toEqual(["zero", "one"]);
      expect(await store.status(other)).toMatchObject({ state: "complete" });
    });

    it("an unfinished recording cannot be read; a missing one has no status and no header", async () => {
      const { store, newId } = subject();
      const id = await newId();
      expect(await store.status(id)).toBeNull();
      expect(await errorCode(store.readHeader(id))).toBe("state");
      expect(await errorCode(store.replaceHeader(id, Buffer.from("h")))).toBe("state");
      await store.begin(id, encodeHeader(newHeader("k1", CHUNK)));
      expect(await errorCode(readRecording(store, keyring, id, keyring.wrap(newDataKey(), id)))).toBe("state");
    });

    it("a source that fails leaves nothing behind", async () => {
      const { store, newId, storedBytes } = subject();
      const id = await newId();
      async function* failing() {
        yield randomBytes(3 * CHUNK);
        throw new Error("connection reset");
      }
      await expect(writeRecording(store, keyring, id, failing(), { chunkSize: CHUNK })).rejects.toThrow("connection reset");
      expect(await store.status(id)).toBeNull();
      expect(await storedBytes(id)).toEqual([]);
    });

    it("a tampered chunk is an integrity error, stopping before its bytes; other ranges still read", async () => {
      const data = fixture();
      const s = await stored(data);
      await s.tamperChunk(s.recordingId, 3, (b) => {
        const copy = Buffer.from(b);
        copy[100] = (copy[100] ?? 0) ^ 1;
        return copy;
      });
      expect(await errorCode(read(s, { start: 3 * CHUNK + 5, end: 3 * CHUNK + 6 }))).toBe("integrity");
      const got: Buffer[] = [];
      const opened = await readRecording(s.store, keyring, s.recordingId, s.wrappedKey, { start: CHUNK, end: 5 * CHUNK });
      const failure = (async () => {
        for await (const part of opened.body) got.push(part);
      })();
      expect(await errorCode(failure)).toBe("integrity");
      expect(Buffer.concat(got).equals(data.subarray(CHUNK, 3 * CHUNK))).toBe(true);
      expect((await read(s, { start: 0, end: 3 * CHUNK })).equals(data.subarray(0, 3 * CHUNK))).toBe(true);
      expect((await read(s, { start: 4 * CHUNK })).equals(data.subarray(4 * CHUNK))).toBe(true);
    });

    it("a chunk swapped for another, a cut-off chunk and a missing chunk are integrity errors", async () => {
      const s = await stored(fixture());
      let five = Buffer.alloc(0);
      await s.tamperChunk(s.recordingId, 5, (b) => {
        five = Buffer.from(b);
        return b;
      });
      await s.tamperChunk(s.recordingId, 2, () => five);
      expect(await errorCode(read(s, { start: 2 * CHUNK, end: 2 * CHUNK + 1 }))).toBe("integrity");
      await s.tamperChunk(s.recordingId, 40, (b) => b.subarray(0, b.length - 1));
      expect(await errorCode(read(s, { suffix: 1 }))).toBe("integrity");
      await s.tamperChunk(s.recordingId, 10, () => null);
      expect(await errorCode(read(s, { start: 10 * CHUNK, end: 10 * CHUNK + 1 }))).toBe("integrity");
      expect((await read(s, { start: 11 * CHUNK, end: 12 * CHUNK })).length).toBe(CHUNK);
    });

    it("lists incomplete recordings idle since a cutoff, not complete or recent ones; delete removes them", async () => {
      const { store, newId, age, storedBytes } = subject();
      const header = encodeHeader(newHeader("k1", CHUNK));
      const [stale, fresh, done, touched] = [await newId(), await newId(), await newId(), await newId()];
      for (const id of [stale, fresh, done, touched]) await store.begin(id, header);
      await store.writeChunk(done, 0, Buffer.from("x"));
      await store.finalize(done, { size: 0, sha256: "", chunkCount: 1 });
      const old = new Date("2026-11-01T00:00:00Z");
      for (const id of [stale, done, touched]) await age(id, old);
      // A chunk written since makes the upload recent again.
      await store.writeChunk(touched, 0, Buffer.from("y"));
      const expired = await store.listExpiredIncomplete(new Date("2026-11-20T00:00:00Z"));
      expect(expired).toContain(stale);
      expect(expired).not.toContain(fresh);
      expect(expired).not.toContain(done);
      expect(expired).not.toContain(touched);
      const status = await store.status(fresh);
      expect(status?.state === "incomplete" && status.updatedAt.getTime() > old.getTime()).toBe(true);
      await store.delete(stale);
      expect(await store.status(stale)).toBeNull();
      expect(await storedBytes(stale)).toEqual([]);
      await store.delete(stale);
      await store.delete(done);
      expect(await store.status(done)).toBeNull();
      expect(await store.listExpiredIncomplete(new Date("2026-11-20T00:00:00Z"))).not.toContain(stale);
    });
  });
}
