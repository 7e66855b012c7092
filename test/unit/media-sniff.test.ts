// Recordings are recognised by content: fixtures are made here by Debian's ffmpeg, then read
// back through the encrypted store, so sniffing sees only decrypted bytes in memory.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectType, MediaRejected, SNIFF_BYTES, sniffMedia } from "#app/media/sniff.server";
import { FileBlobStore } from "#app/storage/blob-store.server";
import { Keyring } from "#app/storage/keys.server";
import { readRecording, writeRecording } from "#app/storage/recordings.server";
import { flipStoredByte } from "../support/stored-chunks";

const dir = mkdtempSync(path.join(tmpdir(), "attune-sniff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sine = ["-f", "lavfi", "-i", "sine=duration=2"];
const video = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2"];
const FIXTURES: Record<string, string[]> = {
  "audio.m4a": [...sine, "-c:a", "aac"],
  "audio.mp3": [...sine, "-c:a", "libmp3lame"],
  "audio.wav": [...sine],
  "audio.flac": [...sine],
  "audio.opus.ogg": [...sine, "-c:a", "libopus"],
  "audio.webm": [...sine, "-c:a", "libopus"],
  "video.mp4": [...sine, ...video, "-c:v", "libx264", "-c:a", "aac", "-shortest"],
  "video.mov": [...sine, ...video, "-c:v", "libx264", "-c:a", "aac", "-shortest"],
  "video.webm": [...sine, ...video, "-c:v", "libvpx", "-c:a", "libopus", "-shortest"],
  "silent-video.mp4": [...video, "-c:v", "libx264", "-an"],
  "picture.png": [...video, "-frames:v", "1"],
};

beforeAll(() => {
  for (const [name, args] of Object.entries(FIXTURES)) {
    execFileSync("/usr/bin/ffmpeg", ["-v", "error", "-y", ...args, path.join(dir, name)]);
  }
  writeFileSync(path.join(dir, "notes.txt"), "Session notes, not a recording.\n".repeat(200));
  copyFileSync(path.join(dir, "notes.txt"), path.join(dir, "session.mp3"));
  copyFileSync(path.join(dir, "picture.png"), path.join(dir, "session.m4a"));
  const mp4 = readFileSync(path.join(dir, "video.mp4"));
  writeFileSync(path.join(dir, "cut.mp4"), mp4.subarray(0, Math.floor(mp4.length / 3)));
}, 60_000);

const store = new FileBlobStore(path.join(dir, "store"));
const keyring = Keyring.fromKeys([{ id: "k1", secret: randomBytes(32) }], "k1");
let n = 0;

/**
 * Encrypts the fixture into the store, then sniffs it from decrypted ranges only: streamed, or (`randomAccess`)
 * through ranges read at the parser's request, with a stream that fails if anything reads it. `readBytes` counts
 * the plaintext the ranges delivered.
 */
async function sniffStored(
  name: string,
  damage?: (recordingDir: string) => void,
  mode: { randomAccess?: boolean; readBytes?: number[] } = {},
) {
  n += 1;
  const id = `sniff-${n}`;
  async function* file() {
    yield readFileSync(path.join(dir, name));
  }
  const { wrappedKey } = await writeRecording(store, keyring, id, file(), { chunkSize: 4096 });
  damage?.(path.join(store.root, id));
  const status = await store.status(id);
  const size = status?.state === "complete" ? status.manifest.size : 0;
  const headRange = await readRecording(store, keyring, id, wrappedKey, { start: 0, end: Math.min(SNIFF_BYTES, size) });
  const parts: Buffer[] = [];
  for await (const p of headRange.body) parts.push(p);
  if (mode.randomAccess) {
    const readAt = async function* (start: number, end: number) {
      for await (const p of (await readRecording(store, keyring, id, wrappedKey, { start, end })).body) {
        mode.readBytes?.push(p.length);
        yield p;
      }
    };
    const unread: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => {
        throw new Error("the stream was read although the parser had random access");
      },
    };
    return sniffMedia(Buffer.concat(parts), unread, size, { randomAccess: readAt });
  }
  const whole = await readRecording(store, keyring, id, wrappedKey);
  return sniffMedia(Buffer.concat(parts), whole.body, whole.size);
}

describe("sniffing a recording", () => {
  const accepted: Array<[string, string, boolean]> = [
    ["audio.m4a", "m4a", false],
    ["audio.mp3", "mp3", false],
    ["audio.wav", "wav", false],
    ["audio.flac", "flac", false],
    ["audio.opus.ogg", "opus", false],
    ["audio.webm", "webm", false],
    ["video.mp4", "mp4", true],
    ["video.mov", "mov", true],
    ["video.webm", "webm", true],
  ];
  for (const [name, ext, hasVideo] of accepted) {
    it(`accepts ${name}: ${ext}, about 2 s, ${hasVideo ? "with" : "without"} video`, async () => {
      const info = await sniffStored(name);
      expect(info).toMatchObject({ ext, hasAudio: true, hasVideo });
      expect(info.durationSeconds).toBeGreaterThan(1.9);
      expect(info.durationSeconds).toBeLessThan(2.2);
    });
  }

  for (const name of ["audio.mp3", "audio.wav", "audio.flac", "audio.opus.ogg"]) {
    it(`reads ${name} through random access as it reads the stream`, async () => {
      const streamed = await sniffStored(name);
      const seeking = await sniffStored(name, undefined, { randomAccess: true });
      expect(seeking).toEqual(streamed);
    });
  }

  it("with random access, a long WAV is checked from its header, not its samples", async () => {
    const long = path.join(dir, "long.wav");
    execFileSync("/usr/bin/ffmpeg", [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "anoisesrc=duration=20:sample_rate=48000",
      "-ac",
      "2",
      long,
    ]);
    const readBytes: number[] = [];
    const info = await sniffStored("long.wav", undefined, { randomAccess: true, readBytes });
    expect(info.durationSeconds).toBeCloseTo(20, 1);
    const total = readBytes.reduce((a, b) => a + b, 0);
    expect(readFileSync(long).length).toBeGreaterThan(3_000_000);
    expect(total).toBeLessThan(600_000);
  }, 30_000);

  it("tells an audio-only WebM from a video WebM (file-type calls both video/webm)", async () => {
    expect((await detectType(readFileSync(path.join(dir, "audio.webm")))).mime).toBe("video/webm");
    expect((await sniffStored("audio.webm")).hasVideo).toBe(false);
  });

  it("refuses a text file named .mp3, saying it is not a recording", async () => {
    const error = await sniffStored("session.mp3").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaRejected);
    expect(error).toMatchObject({ code: "unknown-type", message: expect.stringContaining("not an audio or video recording") });
  });

  it("refuses a PNG named .m4a, naming what it really is", async () => {
    await expect(sniffStored("session.m4a")).rejects.toMatchObject({ code: "not-accepted", message: expect.stringContaining("image/png") });
  });

  it("refuses a video without sound", async () => {
    await expect(sniffStored("silent-video.mp4")).rejects.toMatchObject({ code: "no-audio" });
  });

  it("a stored recording damaged in the middle is an integrity error, not a verdict on the media", async () => {
    const flip = (recordingDir: string) => flipStoredByte(recordingDir, 3, 10);
    await expect(sniffStored("video.mp4", flip)).rejects.toMatchObject({ name: "RecordingError", code: "integrity" });
  });

  it("refuses a file cut short", async () => {
    await expect(sniffStored("cut.mp4")).rejects.toBeInstanceOf(MediaRejected);
  });
});
