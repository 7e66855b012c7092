/**
 * The resumable upload endpoint, /uploads (tus 1.0, @tus/server), mounted by
 * server/app.ts before Remix through the build's entry (one module graph, one
 * database client). Every tus request passes the gate first: a signed-in,
 * active trainee; for a new upload, a target they own with a current consent
 * and a size within RECORDING_MAX_BYTES; for an existing one, their own
 * upload. Only the target travels in Upload-Metadata ("session:<id>" or
 * "role-play"); file names and types are ignored and never stored.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MemoryLocker, Server } from "@tus/server";
import { type Locker, Metadata } from "@tus/utils";
import { userFromCookieHeader } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { can, mayEver } from "#app/domain/permissions";
import { uploadDeadline } from "#app/domain/retention";
import { env } from "#app/env.server";
import { findUpload, reserveUpload, type TargetProblem, type UploadTarget, uploadTargetFor } from "#app/models/recording.server";
import { PgAdvisoryLocker } from "#app/recordings/pg-locker.server";
import { CHECKPOINT_BYTES, EncryptingTusStore } from "#app/recordings/tus-store.server";
import { recordingKeyring, recordingStore, recordingStoreKind, retentionPolicy } from "#app/storage/config.server";

export const UPLOAD_PATH = "/uploads";
/** Upload ids the gate reserved, by the Node request that asked (tus hands the naming function a wrapper of it). */
const reservedFor = new WeakMap<IncomingMessage, string>();

function nodeRequestOf(req: unknown): IncomingMessage | undefined {
  const r = req as { runtime?: { node?: { req?: IncomingMessage } }; node?: { req?: IncomingMessage } };
  return r.runtime?.node?.req ?? r.node?.req;
}
const UPLOAD_ID = /^[A-Za-z0-9_-]{16,64}$/;

const TARGET_MESSAGES: Record<TargetProblem, [number, string]> = {
  "not-found": [404, "That session is not one of your cases' sessions."],
  "case-closed": [409, "That case is no longer open: recordings can only be added to an open case."],
  "no-consent": [
    403,
    "There is no current consent to recording for assessment: attest the client's written consent on the case page first.",
  ],
};

function sendJson(res: ServerResponse, status: number, error: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Tus-Resumable", "1.0.0");
  res.end(JSON.stringify({ error }));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The target named in Upload-Metadata, or null when absent or malformed. */
export function targetFromMetadata(raw: string | undefined): UploadTarget | null {
  if (!raw) return null;
  let metadata: Record<string, string | null>;
  try {
    metadata = Metadata.parse(raw);
  } catch {
    return null;
  }
  const target = metadata.target;
  if (target === "role-play") return { kind: "ROLE_PLAY" };
  const match = /^session:([A-Za-z0-9_-]{1,64})$/.exec(target ?? "");
  return match ? { kind: "CASE_SESSION", caseSessionId: match[1] as string } : null;
}

let server: Server | undefined;
let locker: Locker | undefined;

function uploadLocker(): Locker {
  if (!locker) {
    const url = env().DATABASE_URL;
    // Several instances share a PostgreSQL database: lock across processes there. SQLite is one instance only.
    locker = url.startsWith("file:") ? new MemoryLocker() : new PgAdvisoryLocker(url);
  }
  return locker;
}

function tusServer(): Server {
  if (!server) {
    const settings = env();
    server = new Server({
      path: UPLOAD_PATH,
      relativeLocation: true,
      respectForwardedHeaders: false,
      allowedOrigins: () => false,
      maxSize: settings.RECORDING_MAX_BYTES,
      locker: uploadLocker(),
      // The id was reserved by the gate, which put it on the request; nothing else can name an upload.
      namingFunction: (req) => {
        const node = nodeRequestOf(req);
        const id = node ? reservedFor.get(node) : undefined;
        if (!id) throw { status_code: 500, body: "The upload was not reserved." };
        return id;
      },
      // A refusal thrown while the request body is still arriving can reach tus as the body's own error ("request
      // aborted"); whatever tus says, an upload the store refused answers with the refusal's reason.
      onResponseError: async (req, error) => {
        const status = (error as { status_code?: number }).status_code;
        if (req.method !== "PATCH" || status === 415 || status === 422 || status === 410) return undefined;
        const uploadId = uploadIdOf(new URL(req.url).pathname);
        const row = uploadId ? await findUpload(getDb(), uploadId) : null;
        if (row?.status === "REJECTED" && row.rejectReason) return { status_code: 415, body: row.rejectReason };
        return undefined;
      },
      datastore: new EncryptingTusStore({
        db: getDb(),
        store: recordingStore(),
        keyring: recordingKeyring(),
        chunkSize: settings.RECORDING_CHUNK_BYTES,
        retention: retentionPolicy(),
        checkpointBytes: CHECKPOINT_BYTES,
      }),
    });
  }
  return server;
}

/** The upload id at the end of /uploads/<id>, if well formed. */
function uploadIdOf(url: string | undefined): string | null {
  const path = (url ?? "").split("?")[0] ?? "";
  const id = path.slice(UPLOAD_PATH.length + 1);
  return UPLOAD_ID.test(id) ? id : null;
}

/** Handles one request under /uploads: the gate, then tus. Never throws. */
export async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  try {
    const method = req.method ?? "";
    if (!["POST", "HEAD", "PATCH", "DELETE", "OPTIONS"].includes(method)) {
      res.setHeader("Allow", "POST, HEAD, PATCH, DELETE, OPTIONS");
      return sendJson(res, 405, `Method ${method} is not allowed here.`);
    }
    if (method !== "OPTIONS") {
      const user = await userFromCookieHeader(header(req, "cookie"));
      if (!user) return sendJson(res, 401, "Sign in to upload recordings.");
      if (!mayEver(user, "recording:upload")) return sendJson(res, 403, "Only trainees upload recordings.");
      const db = getDb();
      if (method === "POST") {
        if (req.url !== UPLOAD_PATH && req.url !== `${UPLOAD_PATH}/`) return sendJson(res, 404, "Not found.");
        const target = targetFromMetadata(header(req, "upload-metadata"));
        if (!target) return sendJson(res, 400, "Say what the recording is of (Upload-Metadata: target).");
        const length = header(req, "upload-length") ?? "";
        const size = /^\d{1,15}$/.test(length) ? Number(length) : Number.NaN;
        const max = env().RECORDING_MAX_BYTES;
        if (!Number.isSafeInteger(size) || size < 1) return sendJson(res, 400, "Give the recording's size (Upload-Length).");
        if (size > max) return sendJson(res, 413, `Recordings may be at most ${Math.floor(max / (1024 * 1024))} MiB.`);
        const allowed = await uploadTargetFor(db, user.id, target);
        if (!allowed.ok) {
          const [status, message] = TARGET_MESSAGES[allowed.problem];
          return sendJson(res, status, message);
        }
        const reserved = await reserveUpload(db, {
          ownerId: user.id,
          kind: target.kind,
          caseSessionId: allowed.caseSessionId,
          consentId: allowed.consentId,
          declaredSize: size,
          store: recordingStoreKind(),
          deleteAfter: uploadDeadline(retentionPolicy(), new Date()),
        });
        reservedFor.set(req, reserved.uploadId);
      } else {
        const uploadId = uploadIdOf(req.url);
        const row = uploadId ? await findUpload(db, uploadId) : null;
        // Someone else's upload looks like no upload.
        if (!row || !can(user, "recording:upload", row.ownerId === user.id ? ["owner"] : [])) return sendJson(res, 404, "Not found.");
        if (row.consentWithdrawn && method === "PATCH") {
          return sendJson(res, 403, "The client's consent to recording was withdrawn: this upload cannot continue.");
        }
      }
    }
    await tusServer().handle(req, res);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "upload failed", error: String(error) }));
    if (!res.headersSent) sendJson(res, 500, "The upload could not be handled. Try again; it will resume where it stopped.");
    else res.end();
  }
}
