// The filesystem store against the shared BlobStore contract (the database store runs the same cases in
// test/integration/db-blob-store.test.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { FileBlobStore } from "#app/storage/blob-store.server";
import { blobStoreContract } from "../support/blob-store-contract";

const root = mkdtempSync(path.join(tmpdir(), "attune-contract-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = new FileBlobStore(root);
let counter = 0;
const chunkPath = (id: string, i: number) => path.join(root, id, `${String(i).padStart(10, "0")}.chunk`);

blobStoreContract("FileBlobStore", () => ({
  store,
  newId: async () => `rec-${++counter}`,
  storedBytes: async (id) => {
    let names: string[];
    try {
      names = readdirSync(path.join(root, id));
    } catch {
      return [];
    }
    return names.map((n) => readFileSync(path.join(root, id, n)));
  },
  tamperChunk: async (id, index, change) => {
    const changed = change(readFileSync(chunkPath(id, index)));
    if (changed === null) unlinkSync(chunkPath(id, index));
    else writeFileSync(chunkPath(id, index), changed);
  },
  age: async (id, when) => utimesSync(path.join(root, id), when, when),
}));
