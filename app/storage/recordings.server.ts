/**
 * Writing, reading, rotating and shredding one encrypted recording: the format
 * (format.server.ts), the keyring (keys.server.ts) and a BlobStore
 * (blob-store.server.ts) put together. The caller keeps the returned WrappedKey
 * and manifest with the recording's database row; without the wrapped key the
 * blobs are unreadable (crypto-shredding).
 */

import type { BlobStore, RecordingManifest } from "#app/storage/blob-store.server";
import { RecordingError } from "#app/storage/errors.server";
import {
  type ByteRange,
  byteRange,
  DEFAULT_CHUNK_SIZE,
  decodeHeader,
  decryptRange,
  encodeHeader,
  encryptStream,
  newDataKey,
  newHeader,
  type PlaintextSummary,
  type RangeSpec,
} from "#app/storage/format.server";
import type { Keyring, WrappedKey } from "#app/storage/keys.server";

export type WrittenRecording = { wrappedKey: WrappedKey; manifest: RecordingManifest };

/**
 * Encrypts `source` into the store under a fresh data key wrapped by the
 * keyring's current master key. On any failure the partial recording is deleted.
 */
export async function writeRecording(
  store: BlobStore,
  keyring: Keyring,
  recordingId: string,
  source: AsyncIterable<Uint8Array>,
  options: { chunkSize?: number } = {},
): Promise<WrittenRecording> {
  const dataKey = newDataKey();
  try {
    const header = newHeader(keyring.currentId, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    const wrappedKey = keyring.wrap(dataKey, recordingId);
    await store.begin(recordingId, encodeHeader(header));
    try {
      let summary: PlaintextSummary | undefined;
      for await (const chunk of encryptStream(source, { recordingId, header, dataKey })) {
        await store.writeChunk(recordingId, chunk.index, chunk.bytes);
        if (chunk.last) summary = chunk.summary;
      }
      if (!summary) throw new RecordingError("state", "The encryptor ended without a final chunk.");
      return { wrappedKey, manifest: await store.finalize(recordingId, summary) };
    } catch (error) {
      await store.delete(recordingId);
      throw error;
    }
  } finally {
    dataKey.fill(0);
  }
}

export type OpenedRange = { size: number; range: ByteRange; body: AsyncGenerator<Buffer> };

/**
 * Opens a byte range of a complete recording for streaming. The range is
 * checked against the recorded size before anything is read; the body yields
 * only authenticated bytes and fails with RecordingError("integrity") otherwise.
 */
export async function readRecording(
  store: BlobStore,
  keyring: Keyring,
  recordingId: string,
  wrappedKey: WrappedKey,
  spec: RangeSpec = { start: 0 },
): Promise<OpenedRange> {
  const status = await store.status(recordingId);
  if (status?.state !== "complete") throw new RecordingError("state", `Recording ${recordingId} is not complete.`);
  const header = decodeHeader(await store.readHeader(recordingId));
  if (header.keyId !== wrappedKey.keyId) {
    throw new RecordingError("key", `Recording ${recordingId} is wrapped under "${header.keyId}", not "${wrappedKey.keyId}".`);
  }
  const dataKey = keyring.unwrap(wrappedKey, recordingId);
  const size = status.manifest.size;
  const range = byteRange(size, spec);
  const body = decryptRange(
    { recordingId, header, dataKey, plaintextSize: size, readChunks: (from, to) => store.readChunks(recordingId, from, to) },
    range,
  );
  return { size, range, body };
}

/**
 * Key rotation for one recording: re-wraps its data key under the current
 * master key and records the new key id in the header. The chunks are untouched.
 * Store the returned key in place of the old one.
 */
export async function rotateRecordingKey(
  store: BlobStore,
  keyring: Keyring,
  recordingId: string,
  wrappedKey: WrappedKey,
): Promise<WrappedKey> {
  const header = decodeHeader(await store.readHeader(recordingId));
  const rewrapped = keyring.rewrap(wrappedKey, recordingId);
  await store.replaceHeader(recordingId, encodeHeader({ ...header, keyId: rewrapped.keyId }));
  return rewrapped;
}
