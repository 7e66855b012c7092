// Media fixtures made by Debian's ffmpeg (installed by .ci/run), with a marker in the container's metadata so tests
// can look for plaintext in stored bytes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const PLAINTEXT_MARKER = "ATTUNE-PLAINTEXT-MARKER-7f3a";

const made = new Map<string, Buffer>();

/**
 * A short recording: "audio" (AAC in M4A) or "video" (H.264 + AAC in MP4), `seconds` long. `videoBitrate` (e.g.
 * "2M") makes a larger file, for watching an upload's progress.
 */
export function mediaFixture(kind: "audio" | "video", seconds = 3, videoBitrate?: string): Buffer {
  const key = `${kind}-${seconds}-${videoBitrate ?? ""}`;
  const cached = made.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), "attune-media-"));
  const file = path.join(dir, kind === "audio" ? "a.m4a" : "v.mp4");
  const audio = ["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`];
  const video = ["-f", "lavfi", "-i", `testsrc=size=160x120:rate=10:duration=${seconds}`];
  const args =
    kind === "audio"
      ? [...audio, "-c:a", "aac", "-b:a", "64k"]
      : [
          ...video,
          ...audio,
          "-c:v",
          "libx264",
          "-pix_fmt",
          "yuv420p",
          ...(videoBitrate ? ["-b:v", videoBitrate, "-x264-params", "nal-hrd=cbr", "-bufsize", videoBitrate] : []),
          "-c:a",
          "aac",
          "-shortest",
        ];
  execFileSync("/usr/bin/ffmpeg", ["-v", "error", "-y", ...args, "-metadata", `title=${PLAINTEXT_MARKER}`, file]);
  const bytes = readFileSync(file);
  rmSync(dir, { recursive: true, force: true });
  made.set(key, bytes);
  return bytes;
}
