/**
 * What a recording really is, from its content, never its name: the container
 * from the first bytes (`file-type`), then duration and streams from the
 * plaintext streamed through a parser (e.g. readRecording's body), so nothing is
 * written to disk.
 *
 * Which parser, tried on ffmpeg-made fixtures:
 * - containers that can hold video (MP4/M4A/MOV, WebM/Matroska): ffprobe reading
 *   a pipe. music-metadata 11 reports a video-only MP4 or MOV as having audio and
 *   gives MOV no duration; ffprobe got all of them right, also with the MP4 index
 *   at the end. The demuxer is forced to the sniffed container and only the pipe
 *   protocol is allowed, so a hostile file cannot make ffprobe open a playlist or
 *   another file; it runs under a time limit.
 * - audio-only containers (MP3, WAV, FLAC, Ogg): music-metadata, which reads their
 *   duration from a stream; ffprobe on a pipe cannot (it would need to seek).
 *   Given random access to the plaintext (`randomAccess`), music-metadata seeks
 *   instead of reading through the samples (random-access.server.ts).
 */
import { spawn } from "node:child_process";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileTypeFromBuffer } from "file-type";
import { parseFromTokenizer, parseStream } from "music-metadata";
import { RandomAccessTokenizer, type ReadAt } from "#app/media/random-access.server";
import { RecordingError } from "#app/storage/errors.server";

/** How many leading bytes to hand to detectType (file-type needs at most a few KiB for these formats). */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Accepted containers by file-type extension → how to read duration and streams:
 * the ffmpeg demuxer for containers that may carry video, or music-metadata ("audio").
 */
const ACCEPTED: Record<string, { label: string; reader: { ffprobe: string } | "audio" }> = {
  mp3: { label: "MP3", reader: "audio" },
  m4a: { label: "M4A", reader: { ffprobe: "mov" } },
  mp4: { label: "MP4", reader: { ffprobe: "mov" } },
  mov: { label: "QuickTime (MOV)", reader: { ffprobe: "mov" } },
  wav: { label: "WAV", reader: "audio" },
  webm: { label: "WebM", reader: { ffprobe: "matroska" } },
  mkv: { label: "Matroska", reader: { ffprobe: "matroska" } },
  ogg: { label: "Ogg", reader: "audio" },
  oga: { label: "Ogg audio", reader: "audio" },
  opus: { label: "Ogg Opus", reader: "audio" },
  flac: { label: "FLAC", reader: "audio" },
};

export const ACCEPTED_FORMATS = "MP3, M4A, MP4, MOV, WAV, WebM, Matroska, Ogg/Opus or FLAC";

export type DetectedType = { ext: string; mime: string; label: string; reader: { ffprobe: string } | "audio" };

export type MediaInfo = DetectedType & { durationSeconds: number; hasAudio: boolean; hasVideo: boolean };

export type MediaRejectionCode = "unknown-type" | "not-accepted" | "unreadable" | "no-audio" | "no-duration";

/** A file refused as a recording; `message` is fit to show the person who uploaded it. */
export class MediaRejected extends Error {
  override readonly name = "MediaRejected";
  constructor(
    readonly code: MediaRejectionCode,
    message: string,
    /** ffprobe's own words, for logs only. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The container of a file from its first bytes (pass SNIFF_BYTES of them, or the whole file if shorter). */
export async function detectType(head: Uint8Array): Promise<DetectedType> {
  const found = await fileTypeFromBuffer(head);
  if (!found) throw new MediaRejected("unknown-type", `This file is not an audio or video recording we can read (${ACCEPTED_FORMATS}).`);
  const accepted = ACCEPTED[found.ext];
  if (!accepted) {
    throw new MediaRejected("not-accepted", `This file is ${found.mime} (.${found.ext}); recordings must be ${ACCEPTED_FORMATS}.`);
  }
  return { ext: found.ext, mime: found.mime, ...accepted };
}

export type ProbeOptions = { ffprobePath?: string; timeoutMs?: number };

type Streams = { durationSeconds: number; hasAudio: boolean; hasVideo: boolean };

/** Duration and streams of `body` (the whole file, streamed), read by ffprobe with the given demuxer. */
export async function probeMedia(body: AsyncIterable<Uint8Array>, demuxer: string, options: ProbeOptions = {}): Promise<Streams> {
  const args = [
    "-v",
    "error",
    "-protocol_whitelist",
    "pipe",
    "-f",
    demuxer,
    "-show_entries",
    "format=duration:stream=codec_type",
    "-of",
    "json",
    "-i",
    "pipe:0",
  ];
  const child = spawn(options.ffprobePath ?? "/usr/bin/ffprobe", args, { stdio: ["pipe", "pipe", "pipe"] });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => {
    if (stdout.length < 1_000_000) stdout += s;
  });
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    if (stderr.length < 10_000) stderr += s;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  exited.catch(() => {}); // awaited below; a failed spawn must not count as unhandled meanwhile
  try {
    await pipeline(Readable.from(body), child.stdin);
  } catch (error) {
    // ffprobe may stop reading once it knows enough: a closed pipe then is not an error.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPIPE" && code !== "ERR_STREAM_PREMATURE_CLOSE") {
      clearTimeout(timer);
      child.kill("SIGKILL");
      throw error;
    }
  }
  const code = await exited.finally(() => clearTimeout(timer));
  if (code !== 0)
    throw new MediaRejected("unreadable", "This recording could not be read: it may be damaged or incomplete.", stderr.trim());
  let parsed: { streams?: Array<{ codec_type?: string }>; format?: { duration?: string } };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new MediaRejected("unreadable", "This recording could not be read: it may be damaged or incomplete.");
  }
  const types = (parsed.streams ?? []).map((s) => s.codec_type);
  const durationSeconds = Number(parsed.format?.duration);
  return { durationSeconds, hasAudio: types.includes("audio"), hasVideo: types.includes("video") };
}

/**
 * Duration of an audio-only container (`size` = the file's length), read by music-metadata from `body`, or through
 * `randomAccess` when given (then `body` is not read).
 */
export async function probeAudio(body: AsyncIterable<Uint8Array>, mime: string, size: number, randomAccess?: ReadAt): Promise<Streams> {
  const stream = randomAccess ? null : Readable.from(body, { objectMode: false });
  try {
    const options = { duration: true, skipCovers: true };
    const { format } = stream
      ? await parseStream(stream, { mimeType: mime, size }, options)
      : await parseFromTokenizer(new RandomAccessTokenizer(randomAccess as ReadAt, size, mime), options);
    return { durationSeconds: format.duration ?? Number.NaN, hasAudio: (format.numberOfChannels ?? 0) > 0, hasVideo: false };
  } catch (error) {
    if (error instanceof RecordingError) throw error;
    throw new MediaRejected("unreadable", "This recording could not be read: it may be damaged or incomplete.", String(error));
  } finally {
    stream?.destroy();
  }
}

/**
 * Decides whether a file is an acceptable session recording: an accepted
 * container, readable, with an audio stream and a duration. `head` is its first
 * SNIFF_BYTES (or all of it), `body` the whole file streamed, `size` its length; `randomAccess`, when given, lets
 * the audio parser seek instead of reading `body`.
 */
export async function sniffMedia(
  head: Uint8Array,
  body: AsyncIterable<Uint8Array>,
  size: number,
  options: ProbeOptions & { randomAccess?: ReadAt } = {},
): Promise<MediaInfo> {
  const type = await detectType(head.subarray(0, SNIFF_BYTES));
  const info =
    type.reader === "audio"
      ? await probeAudio(body, type.mime, size, options.randomAccess)
      : await probeMedia(body, type.reader.ffprobe, options);
  if (!info.hasAudio) throw new MediaRejected("no-audio", "This recording has no sound: a session recording needs an audio track.");
  if (!Number.isFinite(info.durationSeconds) || info.durationSeconds <= 0) {
    throw new MediaRejected("no-duration", "This recording's length could not be read: it may be damaged or incomplete.");
  }
  return { ...type, ...info };
}
