/**
 * The encrypted recording format (ADR 0018). A recording is a small header plus
 * a sequence of chunks, each chunk an AES-256-GCM sealing of a fixed-size slice
 * of the plaintext (the last slice may be shorter), in the style of Tink's
 * streaming AEAD and gocryptfs:
 *
 *   header  = "ATRC" ‖ version (u8) ‖ chunk size (u32 BE) ‖ nonce prefix (7 bytes) ‖ key id length (u8) ‖ key id
 *   chunk i = ciphertext ‖ 16-byte tag
 *   nonce i = nonce prefix ‖ i (u32 BE) ‖ last flag (1 byte: 1 on the final chunk, else 0)
 *   AAD i   = "ATRC" ‖ version ‖ chunk size ‖ recording id length (u16 BE) ‖ recording id ‖ i (u32 BE) ‖ last flag
 *
 * So a chunk only opens at its own position, in its own recording, with the
 * right "last" flag: reordering, swapping between recordings, dropping the end
 * or adding a chunk after the end all fail authentication. Every recording has
 * its own random 256-bit data key (wrapped by a master key, see keys.server.ts);
 * the key id in the header names that master key and may change when the data
 * key is re-wrapped, so it is deliberately not part of the AAD.
 *
 * Plaintext exists only in memory, one chunk at a time; a chunk is handed out
 * only after its tag has been verified.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { RecordingError } from "#app/storage/errors.server";

export const FORMAT_VERSION = 1;
/**
 * Plaintext bytes per chunk of a new recording, unless RECORDING_CHUNK_BYTES says otherwise (ADR 0036). A range a
 * player asks for costs the decryption of the whole chunks it overlaps; an upload costs a write (a slot of the
 * recording's chunks file, ADR 0039, or a row) per chunk.
 */
export const DEFAULT_CHUNK_SIZE = 256 * 1024;
export const MIN_CHUNK_SIZE = 1024;
export const MAX_CHUNK_SIZE = 64 * 1024 * 1024;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
const MAGIC = Buffer.from("ATRC", "ascii");
const NONCE_PREFIX_BYTES = 7;
const MAX_CHUNK_INDEX = 0xffff_ffff;

/** Master-key ids: short, printable, safe in a config string ("kid:base64,…") and a file name. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Recording ids (cuid/uuid-like): also used as a directory name by the filesystem store. */
export const RECORDING_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export type RecordingHeader = {
  version: typeof FORMAT_VERSION;
  chunkSize: number;
  noncePrefix: Buffer;
  /** The id of the master key that wraps this recording's data key. */
  keyId: string;
};

export function assertRecordingId(recordingId: string): void {
  if (!RECORDING_ID_PATTERN.test(recordingId)) {
    throw new RecordingError("state", "A recording id must be 1–128 letters, digits, '-' or '_'.");
  }
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function newHeader(keyId: string, chunkSize: number = DEFAULT_CHUNK_SIZE): RecordingHeader {
  const header: RecordingHeader = { version: FORMAT_VERSION, chunkSize, noncePrefix: randomBytes(NONCE_PREFIX_BYTES), keyId };
  validateHeader(header);
  return header;
}

function validateHeader(h: RecordingHeader): void {
  if (!Number.isInteger(h.chunkSize) || h.chunkSize < MIN_CHUNK_SIZE || h.chunkSize > MAX_CHUNK_SIZE) {
    throw new RecordingError("format", `Chunk size must be an integer from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE} bytes.`);
  }
  if (h.noncePrefix.length !== NONCE_PREFIX_BYTES) throw new RecordingError("format", "The nonce prefix must be 7 bytes.");
  if (!KEY_ID_PATTERN.test(h.keyId)) throw new RecordingError("format", "The key id must be 1–64 letters, digits, '.', '-' or '_'.");
}

export function encodeHeader(h: RecordingHeader): Buffer {
  validateHeader(h);
  const kid = Buffer.from(h.keyId, "ascii");
  const out = Buffer.alloc(MAGIC.length + 1 + 4 + NONCE_PREFIX_BYTES + 1 + kid.length);
  let o = MAGIC.copy(out, 0);
  o = out.writeUInt8(h.version, o);
  o = out.writeUInt32BE(h.chunkSize, o);
  o += h.noncePrefix.copy(out, o);
  o = out.writeUInt8(kid.length, o);
  kid.copy(out, o);
  return out;
}

export function decodeHeader(bytes: Uint8Array): RecordingHeader {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fixed = MAGIC.length + 1 + 4 + NONCE_PREFIX_BYTES + 1;
  if (b.length < fixed || !b.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new RecordingError("format", "Not an Attune recording header.");
  }
  const version = b.readUInt8(4);
  if (version !== FORMAT_VERSION) throw new RecordingError("format", `Unknown recording format version ${version}.`);
  const chunkSize = b.readUInt32BE(5);
  const noncePrefix = Buffer.from(b.subarray(9, 9 + NONCE_PREFIX_BYTES));
  const kidLength = b.readUInt8(fixed - 1);
  if (b.length !== fixed + kidLength) throw new RecordingError("format", "The recording header has the wrong length.");
  const header: RecordingHeader = { version, chunkSize, noncePrefix, keyId: b.subarray(fixed).toString("ascii") };
  validateHeader(header);
  return header;
}

function nonceFor(h: RecordingHeader, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  h.noncePrefix.copy(n, 0);
  n.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  n.writeUInt8(last ? 1 : 0, 11);
  return n;
}

function aadFor(h: RecordingHeader, recordingId: string, index: number, last: boolean): Buffer {
  const id = Buffer.from(recordingId, "utf8");
  const a = Buffer.alloc(MAGIC.length + 1 + 4 + 2 + id.length + 4 + 1);
  let o = MAGIC.copy(a, 0);
  o = a.writeUInt8(h.version, o);
  o = a.writeUInt32BE(h.chunkSize, o);
  o = a.writeUInt16BE(id.length, o);
  o += id.copy(a, o);
  o = a.writeUInt32BE(index, o);
  a.writeUInt8(last ? 1 : 0, o);
  return a;
}

function dataKeyObject(dataKey: Uint8Array): KeyObject {
  if (dataKey.length !== DATA_KEY_BYTES) throw new RecordingError("key", "A data key must be 32 bytes.");
  return createSecretKey(dataKey);
}

function sealChunk(key: KeyObject, h: RecordingHeader, recordingId: string, index: number, last: boolean, plain: Uint8Array): Buffer {
  if (index > MAX_CHUNK_INDEX) throw new RecordingError("range", "The recording has too many chunks for its chunk size.");
  const cipher = createCipheriv("aes-256-gcm", key, nonceFor(h, index, last));
  cipher.setAAD(aadFor(h, recordingId, index, last));
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function openChunk(key: KeyObject, h: RecordingHeader, recordingId: string, index: number, last: boolean, sealed: Uint8Array): Buffer {
  const body = sealed.subarray(0, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonceFor(h, index, last));
  decipher.setAAD(aadFor(h, recordingId, index, last));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    // update() returns bytes before the tag is checked: they leave this function only after final() succeeds.
    const plain = decipher.update(body);
    const rest = decipher.final(); // empty for GCM; joined only if not, so a chunk is not copied a second time
    return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
  } catch {
    throw new RecordingError("integrity", `Chunk ${index} of recording ${recordingId} failed authentication.`);
  }
}

export type PlaintextSummary = { size: number; sha256: string; chunkCount: number };

export type EncryptOptions = { recordingId: string; header: RecordingHeader; dataKey: Uint8Array };

/**
 * Seals one chunk on its own, for writers that cannot stream the whole file in
 * one go (a resumable upload seals chunk i when its bytes have arrived, in any
 * request). Every chunk but the last must be exactly the chunk size; the last
 * holds 1 … chunk size bytes (0 only when it is the only chunk).
 */
export function encryptChunk(opts: EncryptOptions, index: number, plaintext: Uint8Array, last: boolean): Buffer {
  const { recordingId, header } = opts;
  assertRecordingId(recordingId);
  validateHeader(header);
  if (!Number.isInteger(index) || index < 0) throw new RecordingError("range", `Bad chunk index ${index}.`);
  const fits = last ? plaintext.length <= header.chunkSize && (plaintext.length > 0 || index === 0) : plaintext.length === header.chunkSize;
  if (!fits) throw new RecordingError("range", `Chunk ${index} has ${plaintext.length} bytes; the chunk size is ${header.chunkSize}.`);
  return sealChunk(dataKeyObject(opts.dataKey), header, recordingId, index, last, plaintext);
}

export type EncryptedChunk =
  | { index: number; bytes: Buffer; last: false }
  | { index: number; bytes: Buffer; last: true; summary: PlaintextSummary };

/**
 * Encrypts a plaintext stream (pieces of any size) into chunks of the header's
 * chunk size. Holds at most one chunk of plaintext. The final chunk carries the
 * plaintext's size and SHA-256 (hex), computed on the way through. An empty
 * stream gives one empty final chunk, so "nothing" is still authenticated.
 */
export async function* encryptStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  opts: EncryptOptions,
): AsyncGenerator<EncryptedChunk> {
  const { recordingId, header } = opts;
  assertRecordingId(recordingId);
  validateHeader(header);
  const key = dataKeyObject(opts.dataKey);
  const chunkSize = header.chunkSize;
  const buffer = Buffer.allocUnsafe(chunkSize);
  const hash = createHash("sha256");
  let fill = 0;
  let index = 0;
  let size = 0;
  for await (const piece of source) {
    if (!(piece instanceof Uint8Array)) throw new TypeError("encryptStream expects binary chunks (Buffer/Uint8Array).");
    hash.update(piece);
    size += piece.length;
    let offset = 0;
    while (offset < piece.length) {
      // A full chunk is sealed only once more bytes arrive: only then is it known not to be the last.
      if (fill === chunkSize) {
        yield { index, bytes: sealChunk(key, header, recordingId, index, false, buffer), last: false };
        index += 1;
        fill = 0;
      }
      const n = Math.min(chunkSize - fill, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + n), fill);
      fill += n;
      offset += n;
    }
  }
  const bytes = sealChunk(key, header, recordingId, index, true, buffer.subarray(0, fill));
  yield { index, bytes, last: true, summary: { size, sha256: hash.digest("hex"), chunkCount: index + 1 } };
}

/** A byte range of the plaintext: start inclusive, end exclusive. */
export type ByteRange = { start: number; end: number };

export type RangeSpec = { start: number; end?: number } | { suffix: number };

/**
 * Resolves a range request against a recording of `size` bytes: `{start, end?}`
 * (end exclusive, defaults to the end) or `{suffix: n}` (the last n bytes, all
 * of them if n ≥ size). A zero-length range is allowed and reads nothing.
 */
export function byteRange(size: number, spec: RangeSpec): ByteRange {
  const ok = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if ("suffix" in spec) {
    if (!ok(spec.suffix)) throw new RecordingError("range", "A suffix length must be a non-negative integer.");
    return { start: Math.max(0, size - spec.suffix), end: size };
  }
  const end = spec.end ?? size;
  if (!ok(spec.start) || !ok(end) || spec.start > end || end > size) {
    throw new RecordingError("range", `Range ${spec.start}–${end} is outside a recording of ${size} bytes.`);
  }
  return { start: spec.start, end };
}

export function chunkCountFor(size: number, chunkSize: number): number {
  return size === 0 ? 1 : Math.ceil(size / chunkSize);
}

/** Reads chunks [from, to) of one recording, in order (see BlobStore.readChunks). */
export type ChunkReader = (from: number, to: number) => AsyncIterable<Uint8Array>;

export type DecryptOptions = {
  recordingId: string;
  header: RecordingHeader;
  dataKey: Uint8Array;
  /** The plaintext size recorded when the recording was written (PlaintextSummary.size), kept outside the blobs. */
  plaintextSize: number;
  readChunks: ChunkReader;
};

/**
 * Yields exactly the plaintext bytes of `range`, reading and decrypting only the
 * chunks that overlap it, one at a time. Any chunk that is missing, extra, of the
 * wrong length, out of place, from another recording or altered stops the stream
 * with RecordingError("integrity") before any of its bytes are yielded.
 */
export async function* decryptRange(opts: DecryptOptions, range: ByteRange): AsyncGenerator<Buffer> {
  const { recordingId, header, plaintextSize } = opts;
  assertRecordingId(recordingId);
  validateHeader(header);
  const { start, end } = byteRange(plaintextSize, { start: range.start, end: range.end });
  if (start === end) return;
  const key = dataKeyObject(opts.dataKey);
  const chunkSize = header.chunkSize;
  const finalIndex = chunkCountFor(plaintextSize, chunkSize) - 1;
  const first = Math.floor(start / chunkSize);
  const lastNeeded = Math.floor((end - 1) / chunkSize);
  let index = first;
  for await (const sealed of opts.readChunks(first, lastNeeded + 1)) {
    if (index > lastNeeded) throw new RecordingError("integrity", `The store returned more chunks than asked for (${recordingId}).`);
    const isFinal = index === finalIndex;
    const expected = isFinal ? plaintextSize - finalIndex * chunkSize : chunkSize;
    if (sealed.length !== expected + TAG_BYTES) {
      throw new RecordingError("integrity", `Chunk ${index} of recording ${recordingId} has the wrong length.`);
    }
    const plain = openChunk(key, header, recordingId, index, isFinal, sealed);
    const chunkStart = index * chunkSize;
    const from = Math.max(start - chunkStart, 0);
    const to = Math.min(end - chunkStart, plain.length);
    yield plain.subarray(from, to);
    index += 1;
  }
  if (index !== lastNeeded + 1) throw new RecordingError("integrity", `Chunk ${index} of recording ${recordingId} is missing.`);
}
