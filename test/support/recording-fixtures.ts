// Recordings for integration tests, made the way the app makes them: a trainee with an open case, a session and a
// consent (case models), and uploads through the real tus endpoint over HTTP (our gate + @tus/server + the encrypting
// store), like test/integration/uploads.test.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getDb } from "#app/db.server";
import { uploadDeadline } from "#app/domain/retention";
import { reserveUpload, uploadTargetFor } from "#app/models/recording.server";
import { handleUpload } from "#app/recordings/uploads.server";
import { recordingStoreKind, retentionPolicy } from "#app/storage/config.server";
import { type TraineeScene, traineeWithSession } from "./case-fixtures";

export { type TraineeScene, traineeWithSession };

/** A recording row reserved for an upload that has not sent anything yet (no HTTP; for access tests). */
export async function reservedRecording(scene: TraineeScene): Promise<string> {
  const db = getDb();
  const target = await uploadTargetFor(db, scene.trainee.id, { kind: "CASE_SESSION", caseSessionId: scene.sessionId });
  if (!target.ok) throw new Error(`cannot upload: ${target.problem}`);
  const reserved = await reserveUpload(db, {
    ownerId: scene.trainee.id,
    kind: "CASE_SESSION",
    caseSessionId: target.caseSessionId,
    consentId: target.consentId,
    declaredSize: 1000,
    store: recordingStoreKind(),
    deleteAfter: uploadDeadline(retentionPolicy(), new Date()),
  });
  return reserved.id;
}

/** The upload endpoint on a free local port, for the length of a test file. */
export async function startUploadEndpoint(): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => void handleUpload(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))) };
}

const TUS = { "Tus-Resumable": "1.0.0" };

/** The tus creation request for a recording of `target` ("session:<id>" or "role-play"). */
export function createUpload(base: string, cookie: string, target: string, size: number): Promise<Response> {
  return fetch(`${base}/uploads`, {
    method: "POST",
    headers: {
      ...TUS,
      Cookie: cookie,
      "Upload-Length": String(size),
      "Upload-Metadata": `target ${Buffer.from(target).toString("base64")}`,
    },
  });
}

/** One tus PATCH of `bytes` at `offset` to the upload at `url` (a path, /uploads/<id>). */
export function patchUpload(base: string, url: string, cookie: string, offset: number, bytes: Uint8Array): Promise<Response> {
  return fetch(`${base}${url}`, {
    method: "PATCH",
    headers: { ...TUS, Cookie: cookie, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    body: new Blob([Uint8Array.from(bytes)]),
  });
}

/**
 * Uploads `file` as a recording of the scene's session over tus: all of it (the recording ends READY), or only the
 * first `sendBytes` (it stays UPLOADING, with the whole chunks of that part stored). Returns the recording's id.
 */
export async function uploadRecording(
  base: string,
  scene: Pick<TraineeScene, "cookie" | "sessionId">,
  file: Uint8Array,
  { sendBytes = file.length }: { sendBytes?: number } = {},
): Promise<{ id: string; url: string }> {
  const created = await createUpload(base, scene.cookie, `session:${scene.sessionId}`, file.length);
  if (created.status !== 201) throw new Error(`upload not created: ${created.status} ${await created.text()}`);
  const url = created.headers.get("Location") as string;
  const sent = await patchUpload(base, url, scene.cookie, 0, file.subarray(0, sendBytes));
  if (sent.status !== 204) throw new Error(`upload refused: ${sent.status} ${await sent.text()}`);
  const row = await getDb().recording.findUniqueOrThrow({ where: { uploadId: url.split("/").pop() }, select: { id: true } });
  return { id: row.id, url };
}
