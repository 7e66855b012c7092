// Encrypted recordings end to end on a real directory: format.server.ts, keys.server.ts,
// blob-store.server.ts and recordings.server.ts together (nothing mocked).
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHUNKS_FILE, FileBlobStore, HEADER_FILE, slotBytesFor } from "#app/storage/blob-store.server";
import { RecordingError } from "#app/storage/errors.server";
import {
  byteRange,
  decodeHeader,
  decryptRange,
  encodeHeader,
  encryptChunk,
  encryptStream,
  newDataKey,
  newHeader,
  type RangeSpec,
  TAG_BYTES,
} from "#app/storage/format.server";
import { Keyring, type WrappedKey } from "#app/storage/keys.server";
import { readRecording, rotateRecordingKey, writeRecording } from "#app/storage/recordings.server";
import { flipStoredByte, readStoredChunk, writeStoredChunk } from "../support/stored-chunks";

const CHUNK = 4096;
const MARKER = Buffer.from("PATIENT-SAID-SOMETHING-PRIVATE");
const root = mkdtempSync(path.join(tmpdir(), "attune-recordings-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const keyring = Keyring.fromKeys([{ id: "k1", secret: randomBytes(32) }], "k1");

/** A few hundred KiB of random bytes with a known marker at a few places, 123 bytes past a chunk multiple. */
function fixture(size = 75 * CHUNK + 123): Buffer {
  const data = randomBytes(size);
  for (const at of [0, CHUNK - 10, 40 * CHUNK + 7, size - MARKER.length]) MARKER.copy(data, at);
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

let counter = 0;
async function stored(data: Buffer, store = new FileBlobStore(root)) {
  counter += 1;
  const recordingId = `rec-${counter}`;
  const written = await writeRecording(store, keyring, recordingId, pieces(data), { chunkSize: CHUNK });
  return { store, recordingId, dir: path.join(root, recordingId), ...written };
}

async function read(s: { store: FileBlobStore; recordingId: string; wrappedKey: WrappedKey }, spec?: RangeSpec, ring = keyring) {
  const opened = await readRecording(s.store, ring, s.recordingId, s.wrappedKey, spec);
  return collect(opened.body);
}

async function errorCode(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordingError);
  return (error as RecordingError).code;
}

const chunksFile = (dir: string) => path.join(dir, CHUNKS_FILE);

describe("writing a recording", () => {
  it("stores only ciphertext: no marker, no run of plaintext, no data key on disk", async () => {
    const data = fixture();
    const s = await stored(data);
    const dataKey = keyring.unwrap(s.wrappedKey, s.recordingId);
    const files = readdirSync(s.dir);
    expect(files.sort()).toEqual(["chunks.bin", "header.bin", "manifest.json"]);
    for (const f of files) {
      const bytes = readFileSync(path.join(s.dir, f));
      expect(bytes.includes(MARKER), f).toBe(false);
      expect(bytes.includes(data.subarray(5000, 5032)), f).toBe(false);
      expect(bytes.includes(dataKey), f).toBe(false);
      expect(statSync(path.join(s.dir, f)).mode & 0o077).toBe(0);
    }
    const sealed = Array.from({ length: 76 }, (_, i) => readStoredChunk(s.dir, i).length).reduce((a, b) => a + b, 0);
    expect(sealed).toBe(data.length + 76 * TAG_BYTES);
  });

  it("records the plaintext's size, SHA-256 and chunk count as it streams", async () => {
    const data = fixture();
    const s = await stored(data);
    expect(s.manifest).toMatchObject({ size: data.length, chunkCount: 76, sha256: createHash("sha256").update(data).digest("hex") });
    expect(await s.store.status(s.recordingId)).toMatchObject({ state: "complete", manifest: { size: data.length } });
  });

  it("handles an empty recording, one byte, and an exact multiple of the chunk size", async () => {
    for (const size of [0, 1, CHUNK, 3 * CHUNK]) {
      const data = randomBytes(size);
      const s = await stored(data);
      expect(s.manifest.chunkCount).toBe(Math.max(1, Math.ceil(size / CHUNK)));
      expect((await read(s)).equals(data)).toBe(true);
    }
  });

  it("never overwrites or deletes an existing recording with the same id", async () => {
    const data = fixture(3 * CHUNK);
    const s = await stored(data);
    await expect(writeRecording(s.store, keyring, s.recordingId, pieces(randomBytes(10)), { chunkSize: CHUNK })).rejects.toMatchObject({
      code: "state",
    });
    expect((await read(s)).equals(data)).toBe(true);
  });

  it("an upload that is not finalized cannot be read", async () => {
    const store = new FileBlobStore(root);
    await store.begin("rec-unfinished", encodeHeader(newHeader("k1", CHUNK)));
    const wrappedKey = keyring.wrap(newDataKey(), "rec-unfinished");
    await expect(readRecording(store, keyring, "rec-unfinished", wrappedKey)).rejects.toMatchObject({ code: "state" });
  });

  it("chunks sealed one at a time, out of order (a resumed upload), read back like a streamed recording", async () => {
    const data = randomBytes(5 * CHUNK + 77);
    const header = newHeader("k1", CHUNK);
    const dataKey = newDataKey();
    const opts = { recordingId: "rec-resumed", header, dataKey };
    const store = new FileBlobStore(root);
    await store.begin(opts.recordingId, encodeHeader(header));
    for (const i of [3, 0, 5, 1, 4, 2]) {
      const plain = data.subarray(i * CHUNK, (i + 1) * CHUNK);
      await store.writeChunk(opts.recordingId, i, encryptChunk(opts, i, plain, i === 5));
    }
    const body = decryptRange(
      { ...opts, plaintextSize: data.length, readChunks: (f, t) => store.readChunks(opts.recordingId, f, t) },
      { start: 0, end: data.length },
    );
    expect((await collect(body)).equals(data)).toBe(true);
    expect(() => encryptChunk(opts, 0, data.subarray(0, CHUNK - 1), false)).toThrow(expect.objectContaining({ code: "range" }));
    expect(() => encryptChunk(opts, 2, Buffer.alloc(0), true)).toThrow(expect.objectContaining({ code: "range" }));
  });

  it("deletes the partial recording when the source fails", async () => {
    const store = new FileBlobStore(root);
    async function* failing() {
      yield randomBytes(3 * CHUNK);
      throw new Error("connection reset");
    }
    await expect(writeRecording(store, keyring, "rec-failing", failing(), { chunkSize: CHUNK })).rejects.toThrow("connection reset");
    expect(await store.status("rec-failing")).toBeNull();
  });
});

describe("reading a byte range", () => {
  const data = fixture();
  const size = data.length;
  const ready = stored(data);

  const cases: Array<[string, RangeSpec]> = [
    ["the first byte", { start: 0, end: 1 }],
    ["the last byte", { start: size - 1, end: size }],
    ["a middle slice", { start: 100_000, end: 100_500 }],
    ["across one chunk boundary", { start: CHUNK - 1, end: CHUNK + 1 }],
    ["across several chunks", { start: 3 * CHUNK - 5, end: 9 * CHUNK + 5 }],
    ["exactly one chunk", { start: 7 * CHUNK, end: 8 * CHUNK }],
    ["the whole file", { start: 0 }],
    ["from an offset to the end", { start: 250_000 }],
    ["a suffix", { suffix: 500 }],
    ["a suffix longer than the file", { suffix: size + 10 }],
  ];
  for (const [name, spec] of cases) {
    it(`returns exactly ${name}`, async () => {
      const s = await ready;
      const r = byteRange(size, spec);
      expect((await read(s, spec)).equals(data.subarray(r.start, r.end))).toBe(true);
    });
  }

  it("returns exactly the bytes of 200 random ranges", async () => {
    const s = await ready;
    for (let i = 0; i < 200; i++) {
      const a = Math.floor(Math.random() * (size + 1));
      const b = Math.floor(Math.random() * (size + 1));
      const [start, end] = a <= b ? [a, b] : [b, a];
      const got = await read(s, { start, end });
      expect(got.length).toBe(end - start);
      expect(got.equals(data.subarray(start, end)), `${start}–${end}`).toBe(true);
    }
  });

  it("reads nothing for a zero-length range, anywhere", async () => {
    const s = await ready;
    for (const at of [0, CHUNK, 123_456, size]) expect((await read(s, { start: at, end: at })).length).toBe(0);
  });

  it("refuses a range outside the recording with a range error", async () => {
    const s = await ready;
    expect(await errorCode(read(s, { start: 0, end: size + 1 }))).toBe("range");
    expect(await errorCode(read(s, { start: 10, end: 5 }))).toBe("range");
    expect(await errorCode(read(s, { start: -1, end: 5 }))).toBe("range");
  });

  it("reads only the chunks the range needs", async () => {
    const s = await ready;
    const header = decodeHeader(await s.store.readHeader(s.recordingId));
    const asked: Array<[number, number]> = [];
    const body = decryptRange(
      {
        recordingId: s.recordingId,
        header,
        dataKey: keyring.unwrap(s.wrappedKey, s.recordingId),
        plaintextSize: size,
        readChunks: (from, to) => {
          asked.push([from, to]);
          return s.store.readChunks(s.recordingId, from, to);
        },
      },
      { start: 5 * CHUNK + 10, end: 6 * CHUNK + 10 },
    );
    expect((await collect(body)).equals(data.subarray(5 * CHUNK + 10, 6 * CHUNK + 10))).toBe(true);
    expect(asked).toEqual([[5, 7]]);
  });
});

describe("tampering is an integrity error, never bytes", () => {
  it("a flipped bit in one chunk: ranges over it fail, stopping before its bytes; other ranges still read", async () => {
    const data = fixture();
    const s = await stored(data);
    flipStoredByte(s.dir, 3, 100);
    expect(await errorCode(read(s, { start: 3 * CHUNK + 5, end: 3 * CHUNK + 6 }))).toBe("integrity");
    const got: Buffer[] = [];
    const opened = await readRecording(s.store, keyring, s.recordingId, s.wrappedKey, { start: CHUNK, end: 5 * CHUNK });
    const failure = (async () => {
      for await (const part of opened.body) got.push(part);
    })();
    expect(await errorCode(failure)).toBe("integrity");
    expect(Buffer.concat(got).equals(data.subarray(CHUNK, 3 * CHUNK))).toBe(true);
    expect((await read(s, { start: 0, end: 3 * CHUNK })).equals(data.subarray(0, 3 * CHUNK))).toBe(true);
  });

  it("a flipped bit in a tag fails too", async () => {
    const s = await stored(fixture());
    flipStoredByte(s.dir, 0, -1, 0x80);
    expect(await errorCode(read(s, { start: 0, end: 1 }))).toBe("integrity");
  });

  it("two chunks swapped (reordered)", async () => {
    const s = await stored(fixture());
    const [two, five] = [Buffer.from(readStoredChunk(s.dir, 2)), Buffer.from(readStoredChunk(s.dir, 5))];
    writeStoredChunk(s.dir, 2, five);
    writeStoredChunk(s.dir, 5, two);
    expect(await errorCode(read(s, { start: 2 * CHUNK, end: 2 * CHUNK + 1 }))).toBe("integrity");
    expect(await errorCode(read(s, { start: 5 * CHUNK, end: 5 * CHUNK + 1 }))).toBe("integrity");
  });

  it("a chunk from another recording with the same data key and header (the AAD binds the recording id)", async () => {
    const header = newHeader("k1", CHUNK);
    const dataKey = newDataKey();
    const plain = randomBytes(4 * CHUNK);
    const sealedOf = async (recordingId: string) => {
      const out: Buffer[] = [];
      for await (const c of encryptStream([plain], { recordingId, header, dataKey })) out.push(c.bytes);
      return out;
    };
    const mine = await sealedOf("rec-a");
    const theirs = await sealedOf("rec-b");
    const swapped = [...mine];
    swapped[1] = theirs[1] ?? Buffer.alloc(0);
    async function* reader(from: number, to: number) {
      yield* swapped.slice(from, to);
    }
    const opts = { recordingId: "rec-a", header, dataKey, plaintextSize: plain.length, readChunks: reader };
    expect((await collect(decryptRange(opts, { start: 0, end: CHUNK }))).equals(plain.subarray(0, CHUNK))).toBe(true);
    expect(await errorCode(collect(decryptRange(opts, { start: CHUNK, end: CHUNK + 1 })))).toBe("integrity");
  });

  it("a missing chunk", async () => {
    const s = await stored(fixture());
    writeStoredChunk(s.dir, 10, null);
    expect(await errorCode(read(s, { start: 10 * CHUNK, end: 10 * CHUNK + 1 }))).toBe("integrity");
  });

  it("truncation: bytes cut off the last chunk", async () => {
    const s = await stored(fixture());
    truncateSync(chunksFile(s.dir), statSync(chunksFile(s.dir)).size - 1);
    expect(await errorCode(read(s, { suffix: 1 }))).toBe("integrity");
  });

  it("truncation: whole chunks dropped and the manifest rewritten to match", async () => {
    const s = await stored(fixture());
    truncateSync(chunksFile(s.dir), 50 * slotBytesFor(readFileSync(path.join(s.dir, HEADER_FILE))));
    const manifestFile = path.join(s.dir, "manifest.json");
    writeFileSync(manifestFile, JSON.stringify({ ...s.manifest, size: 50 * CHUNK, chunkCount: 50 }));
    // Chunk 49 was sealed as "not last": it will not open as the end of the recording.
    expect(await errorCode(read(s, { suffix: 1 }))).toBe("integrity");
  });

  it("a damaged manifest", async () => {
    const s = await stored(fixture(2 * CHUNK));
    writeFileSync(path.join(s.dir, "manifest.json"), JSON.stringify({ ...s.manifest, size: "lots" }));
    expect(await errorCode(read(s))).toBe("integrity");
    writeFileSync(path.join(s.dir, "manifest.json"), "{ not json");
    expect(await errorCode(read(s))).toBe("integrity");
  });

  it("extension: a chunk appended after the end", async () => {
    const data = fixture(8 * CHUNK);
    const s = await stored(data);
    writeStoredChunk(s.dir, 8, readStoredChunk(s.dir, 7));
    writeFileSync(path.join(s.dir, "manifest.json"), JSON.stringify({ ...s.manifest, size: 9 * CHUNK, chunkCount: 9 }));
    expect(await errorCode(read(s, { start: 7 * CHUNK, end: 7 * CHUNK + 1 }))).toBe("integrity");
  });

  it("a header with another chunk size or nonce prefix", async () => {
    const s = await stored(fixture());
    const header = decodeHeader(await s.store.readHeader(s.recordingId));
    await s.store.replaceHeader(s.recordingId, encodeHeader({ ...header, noncePrefix: randomBytes(7) }));
    expect(await errorCode(read(s, { start: 0, end: 1 }))).toBe("integrity");
    await s.store.replaceHeader(s.recordingId, encodeHeader({ ...header, chunkSize: 2 * CHUNK }));
    expect(await errorCode(read(s, { start: 0, end: 1 }))).toBe("integrity");
    await s.store.replaceHeader(s.recordingId, Buffer.from("RIFF....WAVEfmt "));
    expect(await errorCode(read(s, { start: 0, end: 1 }))).toBe("format");
  });
});

describe("what a store keeps in memory between range reads", () => {
  it("serves the manifest and header it read, sees a header another process replaced at once, and a deletion", async () => {
    const data = fixture(3 * CHUNK);
    const s = await stored(data);
    expect((await read(s, { start: 10, end: 20 })).equals(data.subarray(10, 20))).toBe(true);
    // Another process (its own store on the same folder) replaces the header immediately afterwards.
    const other = new FileBlobStore(root);
    const header = decodeHeader(await other.readHeader(s.recordingId));
    await other.replaceHeader(s.recordingId, encodeHeader({ ...header, noncePrefix: randomBytes(7) }));
    expect(await errorCode(read(s, { start: 0, end: 1 }))).toBe("integrity");
    await other.replaceHeader(s.recordingId, encodeHeader(header));
    expect((await read(s, { start: 0, end: 5 })).equals(data.subarray(0, 5))).toBe(true);
    // A copy, not the kept bytes: a caller changing what it got changes nothing.
    const got = await s.store.readHeader(s.recordingId);
    got.fill(0);
    expect((await read(s, { start: 0, end: 5 })).equals(data.subarray(0, 5))).toBe(true);
    await other.delete(s.recordingId);
    expect(await s.store.status(s.recordingId)).toBeNull();
    expect(await errorCode(s.store.readHeader(s.recordingId))).toBe("state");
  });
});

describe("keys", () => {
  it("an unknown key id is a key error", async () => {
    const s = await stored(fixture(2 * CHUNK));
    const other = Keyring.fromKeys([{ id: "k9", secret: randomBytes(32) }], "k9");
    expect(await errorCode(read(s, { start: 0 }, other))).toBe("key");
  });

  it("the right id with another secret, a relabelled key, or another recording's key are key errors", async () => {
    const s = await stored(fixture(2 * CHUNK));
    const t = await stored(fixture(2 * CHUNK));
    const impostor = Keyring.fromKeys([{ id: "k1", secret: randomBytes(32) }], "k1");
    expect(await errorCode(read(s, { start: 0 }, impostor))).toBe("key");
    expect(await errorCode(read({ ...s, wrappedKey: t.wrappedKey }))).toBe("key");
    const two = Keyring.fromKeys(
      [
        { id: "k1", secret: randomBytes(32) },
        { id: "k2", secret: randomBytes(32) },
      ],
      "k2",
    );
    const wrapped = two.wrap(newDataKey(), "rec-x");
    expect(() => two.unwrap({ ...wrapped, keyId: "k1" }, "rec-x")).toThrow(expect.objectContaining({ code: "key" }));
    expect(() => two.unwrap(wrapped, "rec-y")).toThrow(expect.objectContaining({ code: "key" }));
  });

  it("rotation re-wraps under the new key: readable without the old key, the chunks untouched", async () => {
    const data = fixture(5 * CHUNK + 1);
    const s = await stored(data);
    const chunkBefore = Buffer.from(readStoredChunk(s.dir, 2));
    const k0 = randomBytes(32);
    const k2 = randomBytes(32);
    // Put the recording under k0 first (the test keyring's own secrets stay private to it).
    const before = Keyring.fromKeys([{ id: "k0", secret: k0 }], "k0");
    const oldWrapped = before.wrap(keyring.unwrap(s.wrappedKey, s.recordingId), s.recordingId);
    const header = decodeHeader(await s.store.readHeader(s.recordingId));
    await s.store.replaceHeader(s.recordingId, encodeHeader({ ...header, keyId: "k0" }));

    const rotating = Keyring.fromKeys(
      [
        { id: "k0", secret: k0 },
        { id: "k2", secret: k2 },
      ],
      "k2",
    );
    expect((await read({ ...s, wrappedKey: oldWrapped }, { start: 0 }, rotating)).equals(data)).toBe(true);
    const newWrapped = await rotateRecordingKey(s.store, rotating, s.recordingId, oldWrapped);
    expect(newWrapped.keyId).toBe("k2");
    expect(decodeHeader(await s.store.readHeader(s.recordingId)).keyId).toBe("k2");
    expect(readStoredChunk(s.dir, 2).equals(chunkBefore)).toBe(true);

    const onlyNew = Keyring.fromKeys([{ id: "k2", secret: k2 }], "k2");
    expect((await read({ ...s, wrappedKey: newWrapped }, { start: 0 }, onlyNew)).equals(data)).toBe(true);
    expect(await errorCode(read({ ...s, wrappedKey: oldWrapped }, { start: 0 }, onlyNew))).toBe("key");
  });

  it("a wrapped key that does not match the header's key id is a key error", async () => {
    const s = await stored(fixture(CHUNK));
    const header = decodeHeader(await s.store.readHeader(s.recordingId));
    await s.store.replaceHeader(s.recordingId, encodeHeader({ ...header, keyId: "k7" }));
    expect(await errorCode(read(s))).toBe("key");
  });
});

describe("the filesystem store", () => {
  const store = new FileBlobStore(path.join(root, "store"));
  const header = encodeHeader(newHeader("k1", CHUNK));

  it("refuses ids that are not plain names (no path traversal)", async () => {
    for (const id of ["../escape", "a/b", "", ".", "x".repeat(129)]) {
      await expect(store.begin(id, header)).rejects.toMatchObject({ code: "state" });
    }
  });

  it("keeps the order of operations: begin once, no writes after finalize, finalize only when every chunk is there", async () => {
    await store.begin("order", header);
    await expect(store.begin("order", header)).rejects.toMatchObject({ code: "state" });
    await store.writeChunk("order", 1, Buffer.from("one"));
    await expect(store.finalize("order", { size: 1, sha256: "", chunkCount: 2 })).rejects.toMatchObject({ code: "state" });
    await store.writeChunk("order", 0, Buffer.from("zero"));
    await store.writeChunk("order", 0, Buffer.from("zero again"));
    await store.finalize("order", { size: 1, sha256: "", chunkCount: 2 });
    await expect(store.writeChunk("order", 2, Buffer.from("late"))).rejects.toMatchObject({ code: "state" });
    await expect(store.writeChunk("never-begun", 0, Buffer.from("x"))).rejects.toMatchObject({ code: "state" });
    const chunks: string[] = [];
    for await (const c of store.readChunks("order", 0, 2)) chunks.push(c.toString());
    expect(chunks).toEqual(["zero again", "one"]);
  });

  it("lists incomplete recordings idle since a cutoff, not complete or recent ones; delete removes them", async () => {
    await store.begin("stale", header);
    await store.begin("fresh", header);
    await store.begin("done", header);
    await store.writeChunk("done", 0, Buffer.from("x"));
    await store.finalize("done", { size: 0, sha256: "", chunkCount: 1 });
    const old = new Date("2026-11-01T00:00:00Z");
    // An upload's last write is its directory's or its chunks.bin's mtime, whichever is later.
    for (const id of ["stale", "done"]) {
      utimesSync(path.join(store.root, id), old, old);
      utimesSync(path.join(store.root, id, CHUNKS_FILE), old, old);
    }
    const expired = await store.listExpiredIncomplete(new Date("2026-11-20T00:00:00Z"));
    expect(expired).toContain("stale");
    expect(expired).not.toContain("fresh");
    expect(expired).not.toContain("done");
    await store.delete("stale");
    expect(await store.status("stale")).toBeNull();
    await store.delete("stale");
  });

  it("refuses a chunk larger than the header's chunk size allows (it would spill into the next slot)", async () => {
    await store.begin("oversize", header);
    await expect(store.writeChunk("oversize", 0, Buffer.alloc(CHUNK + TAG_BYTES + 1))).rejects.toMatchObject({ code: "state" });
    await store.writeChunk("oversize", 0, Buffer.alloc(CHUNK + TAG_BYTES, 7));
    await store.writeChunk("oversize", 1, Buffer.from("last"));
    const chunks: Buffer[] = [];
    for await (const c of store.readChunks("oversize", 0, 2)) chunks.push(Buffer.from(c));
    expect(chunks).toEqual([Buffer.alloc(CHUNK + TAG_BYTES, 7), Buffer.from("last")]);
  });

  it("holds chunks.bin open while an upload writes, and not once its chunks are flushed", async () => {
    const file = path.join(store.root, "handles", CHUNKS_FILE);
    const openOn = () =>
      readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
    await store.begin("handles", header);
    await store.writeChunk("handles", 0, Buffer.from("zero"));
    await store.writeChunk("handles", 1, Buffer.from("one"));
    expect(openOn()).toBe(1);
    await store.sync("handles");
    expect(openOn()).toBe(0);
    await store.writeChunk("handles", 1, Buffer.from("one again"));
    await store.finalize("handles", { size: 1, sha256: "", chunkCount: 2 });
    expect(openOn()).toBe(0);
  });

  it("reads, and finishes, a recording stored one file per chunk (the layout before ADR 0039)", async () => {
    const data = fixture(6 * CHUNK + 5);
    const h = newHeader("k1", CHUNK);
    const dataKey = newDataKey();
    const id = "old-layout";
    const wrappedKey = keyring.wrap(dataKey, id);
    const dir = path.join(store.root, id);
    const chunkFile = (i: number) => path.join(dir, `${String(i).padStart(10, "0")}.chunk`);
    const seal = (i: number) =>
      encryptChunk({ recordingId: id, header: h, dataKey }, i, data.subarray(i * CHUNK, (i + 1) * CHUNK), i === 6);
    // An upload begun in the old layout: chunks 0–3 were written before the upgrade, the rest come after it.
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, HEADER_FILE), encodeHeader(h), { mode: 0o600 });
    for (let i = 0; i < 4; i++) writeFileSync(chunkFile(i), seal(i), { mode: 0o600 });
    await expect(store.finalize(id, { size: data.length, sha256: "", chunkCount: 7 })).rejects.toMatchObject({ code: "state" });
    for (let i = 4; i < 7; i++) await store.writeChunk(id, i, seal(i));
    await store.finalize(id, { size: data.length, sha256: "", chunkCount: 7 });
    expect(existsSync(path.join(dir, CHUNKS_FILE))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".chunk"))).toHaveLength(7);
    const s = { store, recordingId: id, wrappedKey };
    expect((await read(s, { start: CHUNK - 3, end: 5 * CHUNK + 2 })).equals(data.subarray(CHUNK - 3, 5 * CHUNK + 2))).toBe(true);
    expect((await read(s)).equals(data)).toBe(true);
    rmSync(chunkFile(2));
    expect(await errorCode(read(s, { start: 2 * CHUNK, end: 2 * CHUNK + 1 }))).toBe("integrity");
  });
});
