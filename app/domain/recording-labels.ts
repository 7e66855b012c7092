/** How recordings are described to people: status words, durations, sizes. Pure. */

export type RecordingStatusName = "UPLOADING" | "READY" | "REJECTED" | "WITHDRAWN" | "PURGED";

export const RECORDING_STATUS_LABELS: Record<RecordingStatusName, string> = {
  UPLOADING: "Uploading",
  READY: "Ready to play",
  REJECTED: "Refused",
  WITHDRAWN: "Withdrawn",
  PURGED: "Deleted",
};

/** 75.4 → "1:15"; 3725 → "1:02:05". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Bytes in words: "812 bytes", "14.2 KB", "230.5 MB", "1.2 GB" (powers of 1000, one decimal). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** What a page's player needs (app/models/playback.server.ts `playerFor`): the media URL with this person's grant. */
export type PlayerSource = { src: string; hasVideo: boolean | null; mimeType: string; expiresAt: string };
