// READY recordings for integration tests, made the way a trainee makes them: a case with a session and consent, then
// one upload through the real tus endpoint (our gate + @tus/server + the encrypting store) over loopback HTTP; and
// playback through the real media endpoint, as the browser's player fetches it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getDb } from "#app/db.server";
import { handleMedia } from "#app/recordings/media.server";
import { handleUpload } from "#app/recordings/uploads.server";
import { cookieFor } from "./app";
import { traineeWithSession } from "./case-fixtures";
import { mediaFixture } from "./media";

let server: Promise<string> | undefined;

/**
 * The two endpoints server/app.ts mounts before Remix — tus uploads and recording media — on a loopback port of this
 * test file's process (started once, never holds the process open).
 */
export function endpointsBase(): Promise<string> {
  server ??= new Promise<string>((resolve) => {
    const s: Server = createServer((req, res) => void (req.url?.startsWith("/uploads") ? handleUpload(req, res) : handleMedia(req, res)));
    s.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`));
    s.unref();
  });
  return server;
}

/** A trainee with an open case, one session and consent to recording for assessment (see case-fixtures.ts). */
export const caseWithSession = () => traineeWithSession();

/** Uploads `file` as the recording of a session, in one tus request; returns the recording's id once READY. */
export async function uploadRecording(cookie: string, sessionId: string, file: Buffer): Promise<string> {
  const base = await endpointsBase();
  const tus = { "Tus-Resumable": "1.0.0", Cookie: cookie };
  const created = await fetch(`${base}/uploads`, {
    method: "POST",
    headers: {
      ...tus,
      "Upload-Length": String(file.length),
      "Upload-Metadata": `target ${Buffer.from(`session:${sessionId}`).toString("base64")}`,
    },
  });
  if (created.status !== 201) throw new Error(`upload refused: ${created.status} ${await created.text()}`);
  const url = created.headers.get("Location") as string;
  const done = await fetch(`${base}${url}`, {
    method: "PATCH",
    headers: { ...tus, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
    body: new Blob([Uint8Array.from(file)]),
  });
  if (done.status !== 204) throw new Error(`upload failed: ${done.status} ${await done.text()}`);
  const row = await getDb().recording.findFirstOrThrow({ where: { uploadId: url.split("/").pop() }, select: { id: true, status: true } });
  if (row.status !== "READY") throw new Error(`recording is ${row.status}`);
  return row.id;
}

/** A case with a READY recording of its first session (`kind` media, `seconds` long). */
export async function readyRecording(kind: "audio" | "video" = "video", seconds = 6) {
  const scene = await caseWithSession();
  const file = mediaFixture(kind, seconds);
  const recordingId = await uploadRecording(await cookieFor(scene.trainee.id), scene.sessionId, file);
  return { ...scene, file, recordingId };
}

/** Fetches a player's media URL (`src`, from the recording page) from the media endpoint, with the Range given. */
export async function fetchMedia(src: string, cookie: string | undefined, range?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (cookie) headers.set("Cookie", cookie);
  if (range !== undefined) headers.set("Range", range);
  return fetch(`${await endpointsBase()}${src}`, { ...init, headers });
}
