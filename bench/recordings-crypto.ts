// Benchmark: encrypted recordings (app/storage/) against plain file I/O of the same bytes,
// and how much the process's memory (RSS) grows while streaming them.
//
//   node --expose-gc --import tsx bench/recordings-crypto.ts              (200 MiB, 1 MiB chunks)
//   BENCH_MIB=50 node --expose-gc --import tsx bench/recordings-crypto.ts (quicker)
//
// Each phase starts after a garbage collection; "RSS growth" is the peak RSS
// sampled every 20 ms during the phase minus the RSS just before it.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { FileBlobStore } from "#app/storage/blob-store.server";
import { encryptStream, newDataKey, newHeader } from "#app/storage/format.server";
import { Keyring } from "#app/storage/keys.server";
import { readRecording, writeRecording } from "#app/storage/recordings.server";

const MIB = 1024 * 1024;
const TOTAL = Number(process.env.BENCH_MIB ?? 200) * MIB;
const PIECE = 64 * 1024; // what a network upload hands over at a time
const RANGES = 200;
const RANGE_BYTES = 64 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
const block = randomBytes(4 * MIB);

/** TOTAL bytes of incompressible data in 64 KiB pieces, generated on the fly (never held whole). */
async function* source(): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < TOTAL; offset += PIECE) {
    const at = offset % block.length;
    yield block.subarray(at, at + Math.min(PIECE, TOTAL - offset));
  }
}

async function measure<T>(name: string, bytes: number, fn: () => Promise<T>): Promise<T> {
  gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mbps = bytes / MIB / (ms / 1000);
  console.log(`| ${name} | ${(ms / 1000).toFixed(2)} | ${mbps.toFixed(0)} | ${((peak - before) / MIB).toFixed(1)} |`);
  return result;
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const part of body) n += part.length;
  return n;
}

const dir = mkdtempSync(path.join(tmpdir(), "attune-bench-rec-"));
try {
  if (!gc) console.log("(run with node --expose-gc for steadier memory figures)");
  console.log(
    `${TOTAL / MIB} MiB, ${PIECE / 1024} KiB pieces in, 1 MiB chunks; RSS at start ${(process.memoryUsage().rss / MIB).toFixed(0)} MiB\n`,
  );
  console.log("| phase | seconds | MiB/s | RSS growth MiB |");
  console.log("| --- | ---: | ---: | ---: |");

  const plainFile = path.join(dir, "plain.bin");
  await measure("plain write to a file (baseline)", TOTAL, () => pipeline(source(), createWriteStream(plainFile)));
  await measure("plain read of that file (baseline)", TOTAL, () => drain(createReadStream(plainFile, { highWaterMark: PIECE })));

  const header = newHeader("bench", 1024 * 1024);
  const dataKey = newDataKey();
  await measure("encrypt only, in memory, discarded", TOTAL, () =>
    drain(mapBytes(encryptStream(source(), { recordingId: "bench-0", header, dataKey }))),
  );

  const keyring = Keyring.fromKeys([{ id: "bench", secret: randomBytes(32) }], "bench");
  const store = new FileBlobStore(path.join(dir, "recordings"));
  const written = await measure("encrypt + write to FileBlobStore (fsync per chunk)", TOTAL, () =>
    writeRecording(store, keyring, "bench-1", source()),
  );
  await measure("decrypt the whole recording (stream)", TOTAL, async () => {
    const opened = await readRecording(store, keyring, "bench-1", written.wrappedKey);
    return drain(opened.body);
  });

  const times: number[] = [];
  await measure(`${RANGES} random 64 KiB ranges`, RANGES * RANGE_BYTES, async () => {
    for (let i = 0; i < RANGES; i++) {
      const start = Math.floor(Math.random() * (TOTAL - RANGE_BYTES));
      const t0 = performance.now();
      const opened = await readRecording(store, keyring, "bench-1", written.wrappedKey, { start, end: start + RANGE_BYTES });
      await drain(opened.body);
      times.push(performance.now() - t0);
    }
  });
  times.sort((a, b) => a - b);
  const q = (p: number) => (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(2);
  console.log(`\n64 KiB range at a random offset (header + key unwrap + 1–2 chunks): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function* mapBytes(chunks: AsyncIterable<{ bytes: Buffer }>): AsyncGenerator<Buffer> {
  for await (const c of chunks) yield c.bytes;
}
