// The filesystem store against the shared BlobStore contract (the database store runs the same cases in
// test/integration/db-blob-store.test.ts).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { CHUNKS_FILE, FileBlobStore, HEADER_FILE, slotBytesFor } from "#app/storage/blob-store.server";
import { blobStoreContract } from "../support/blob-store-contract";
import { readStoredChunk, writeStoredChunk } from "../support/stored-chunks";

const root = mkdtempSync(path.join(tmpdir(), "attune-contract-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = new FileBlobStore(root);
let counter = 0;

blobStoreContract("FileBlobStore", () => ({
  store,
  newId: async () => `rec-${++counter}`,
  // Each file, with chunks.bin cut into its slots (one chunk each), so that every chunk is looked at on its own.
  storedBytes: async (id) => {
    const dir = path.join(root, id);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((name) => {
      const bytes = readFileSync(path.join(dir, name));
      if (name !== CHUNKS_FILE) return [bytes];
      const slot = slotBytesFor(readFileSync(path.join(dir, HEADER_FILE)));
      return Array.from({ length: Math.ceil(bytes.length / slot) }, (_, i) => bytes.subarray(i * slot, (i + 1) * slot));
    });
  },
  tamperChunk: async (id, index, change) =>
    writeStoredChunk(path.join(root, id), index, change(readStoredChunk(path.join(root, id), index))),
  age: async (id, when) => {
    utimesSync(path.join(root, id), when, when);
    utimesSync(path.join(root, id, CHUNKS_FILE), when, when);
  },
}));
