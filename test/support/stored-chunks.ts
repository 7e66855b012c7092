// The filesystem store's chunks.bin (app/storage/blob-store.server.ts, ADR 0039) as tests that damage a stored
// recording see it: the sealed bytes of chunk i, replaced in its slot, or the slot emptied.
import { closeSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import path from "node:path";
import { CHUNKS_FILE, HEADER_FILE, SLOT_PREFIX_BYTES, slotBytesFor, slotLength, slotPrefix } from "#app/storage/blob-store.server";

const slotOf = (recordingDir: string) => slotBytesFor(readFileSync(path.join(recordingDir, HEADER_FILE)));

/** The sealed bytes of chunk `index` as stored. */
export function readStoredChunk(recordingDir: string, index: number): Buffer {
  const slot = slotOf(recordingDir);
  const fd = openSync(path.join(recordingDir, CHUNKS_FILE), "r");
  try {
    const bytes = Buffer.alloc(slot);
    const n = readSync(fd, bytes, 0, slot, index * slot);
    const length = slotLength(bytes.subarray(0, n));
    if (length === null) throw new Error(`${recordingDir} holds no chunk ${index}`);
    return bytes.subarray(SLOT_PREFIX_BYTES, SLOT_PREFIX_BYTES + length);
  } finally {
    closeSync(fd);
  }
}

/** Puts `bytes` in chunk `index`'s slot as the store would have; null empties the slot (the chunk is gone). */
export function writeStoredChunk(recordingDir: string, index: number, bytes: Uint8Array | null): void {
  const slot = slotOf(recordingDir);
  const fd = openSync(path.join(recordingDir, CHUNKS_FILE), "r+");
  try {
    const out = bytes === null ? Buffer.alloc(SLOT_PREFIX_BYTES) : Buffer.concat([slotPrefix(bytes.length), bytes]);
    writeSync(fd, out, 0, out.length, index * slot);
  } finally {
    closeSync(fd);
  }
}

/** Flips bits (`mask`) of byte `at` of the stored chunk `index`. */
export function flipStoredByte(recordingDir: string, index: number, at: number, mask = 1): void {
  const bytes = readStoredChunk(recordingDir, index);
  const i = at < 0 ? bytes.length + at : at;
  bytes[i] = (bytes[i] ?? 0) ^ mask;
  writeStoredChunk(recordingDir, index, bytes);
}
