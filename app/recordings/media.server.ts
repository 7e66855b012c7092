/**
 * The plaintext of a READY recording, streamed with HTTP Range, for the player
 * on its page: GET /recordings/<id>/media?g=<grant>. Mounted by server/app.ts
 * before Remix through the build's entry, like the upload endpoint: a player
 * sends a range request for every seek and every few seconds of play, and
 * Remix's route matching and its Request/Response conversion were most of the
 * cost of one (ADR 0038; docs/benchmarks.md, "The media route before Remix").
 *
 * Needs the session, the permission to play recordings, a relation to this one
 * (app/domain/permissions.ts) and an unexpired playback grant of this person
 * for it, issued when its page was opened (docs/recordings.md, "Playback").
 * Nothing is audited here: the grant is the playback session, audited when it
 * was issued. Every refusal is JSON `{error}`; someone else's recording looks
 * like no recording.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type CurrentUser, userFromCookieHeader } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { contentRange, parseRangeHeader } from "#app/domain/http-range";
import { can, mayEver } from "#app/domain/permissions";
import { drained } from "#app/http/drained.server";
import { playbackFacts } from "#app/models/playback.server";
import { relationsToRecording } from "#app/models/recording.server";
import { MAX_RECORDING_ID_IN_PATH, MEDIA_PATH } from "#app/recordings/media-path";
import { recordingKeyring, recordingStore } from "#app/storage/config.server";
import { RecordingError } from "#app/storage/errors.server";
import { readRecording } from "#app/storage/recordings.server";

// X-Content-Type-Options: nosniff is on every response already (server/security.ts). Every answer is personal.
const COMMON = { "Accept-Ranges": "bytes", "Cache-Control": "private, no-store" };

/** What to answer: a refusal, or the bytes of a range (its first chunk already read and authenticated). */
export type MediaAnswer =
  | { kind: "refused"; status: number; error: string; headers?: Record<string, string> }
  | {
      kind: "bytes";
      status: 200 | 206;
      headers: Record<string, string>;
      first: Buffer | null;
      rest: AsyncGenerator<Buffer>;
      recordingId: string;
    };

function refused(status: number, error: string, headers?: Record<string, string>): MediaAnswer {
  return { kind: "refused", status, error, headers };
}

function logFailure(recordingId: string, error: unknown, when: "before-first-byte" | "mid-stream") {
  const code = error instanceof RecordingError ? error.code : "unknown";
  console.error(JSON.stringify({ level: "error", msg: "recording playback failed", recordingId, code, when, error: String(error) }));
}

/** Decides what `user` gets for `recordingId` with grant `grantId` and Range header `range`. */
export async function answerMedia(
  user: CurrentUser | null,
  input: { recordingId: string; grantId: string; range: string | null; head?: boolean },
): Promise<MediaAnswer> {
  if (!user) return refused(401, "Sign in to play recordings.");
  if (!mayEver(user, "recording:play")) return refused(403, "You do not have access to recordings.");
  // One statement: the recording, this person's relations to it, and their grant (every range request asks).
  const recording = await playbackFacts(getDb(), { recordingId: input.recordingId, userId: user.id, grantId: input.grantId });
  if (!recording || !can(user, "recording:play", relationsToRecording(user, recording))) return refused(404, "No such recording.");
  if (!recording.grantValid) return refused(403, "This playback link has expired or is not yours: open the recording's page again.");
  if (recording.status === "WITHDRAWN" || recording.status === "PURGED") {
    return refused(410, "This recording was withdrawn or deleted and can no longer be played.");
  }
  if (recording.status !== "READY" || !recording.wrappedKey || !recording.keyId || !recording.mimeType) {
    return refused(404, "This recording is not ready to play.");
  }

  const size = recording.size;
  const wanted = parseRangeHeader(input.range, size);
  if (wanted.kind === "unsatisfiable") {
    return refused(416, "That byte range is not within the recording.", { "Content-Range": contentRange(null, size) });
  }
  try {
    const wrappedKey = { keyId: recording.keyId, wrapped: Buffer.from(recording.wrappedKey, "base64") };
    const spec = wanted.kind === "partial" ? { start: wanted.start, end: wanted.end } : { start: 0 };
    const opened = await readRecording(recordingStore(), recordingKeyring(), recording.id, wrappedKey, spec);
    if (opened.size !== size) throw new RecordingError("integrity", `Stored size ${opened.size} differs from the recorded ${size}.`);
    const headers: Record<string, string> = {
      ...COMMON,
      "Content-Type": recording.mimeType,
      "Content-Disposition": "inline",
      "Content-Length": String(opened.range.end - opened.range.start),
    };
    if (wanted.kind === "partial") headers["Content-Range"] = contentRange(opened.range, size);
    const status = wanted.kind === "partial" ? 206 : 200;
    if (input.head) {
      await opened.body.return(undefined);
      return { kind: "bytes", status, headers, first: null, rest: opened.body, recordingId: recording.id };
    }
    // Read (and authenticate) the first chunk before answering: a damaged recording gets an error status, not a
    // 200 or 206 that would have to break off before its first byte.
    const first = await opened.body.next();
    return { kind: "bytes", status, headers, first: first.done ? null : first.value, rest: opened.body, recordingId: recording.id };
  } catch (error) {
    // 500, not 502: the stored bytes are ours and damaged (or our keys are wrong); nothing the client can change
    // will fix it. Never a 2xx with bytes that did not authenticate.
    logFailure(recording.id, error, "before-first-byte");
    return refused(500, "This recording could not be read intact. The team has been told; please try again later.");
  }
}

function sendJson(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, {
    ...COMMON,
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/**
 * Writes the answer's bytes with backpressure (the next chunk is read and decrypted only once the socket took the
 * last), stops reading when the client goes away (a player that seeks abandons its request), and breaks the transfer
 * off short of its Content-Length if a later chunk fails to authenticate: the client sees a broken download, never
 * bytes that did not authenticate.
 */
async function sendBytes(res: ServerResponse, answer: Extract<MediaAnswer, { kind: "bytes" }>): Promise<void> {
  res.writeHead(answer.status, answer.headers);
  if (answer.first === null) {
    res.end();
    return;
  }
  try {
    let part: Buffer | null = answer.first;
    while (part !== null) {
      if (!res.write(part)) await drained(res);
      // The client went away (its socket closed, so the response is destroyed): read and decrypt no more.
      if (res.destroyed) {
        await answer.rest.return(undefined);
        return;
      }
      const next = await answer.rest.next();
      part = next.done ? null : next.value;
    }
    res.end();
  } catch (error) {
    logFailure(answer.recordingId, error, "mid-stream");
    res.destroy();
  }
}

/** Handles GET and HEAD of /recordings/<id>/media. Never throws. */
export async function handleMedia(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const method = req.method ?? "";
    if (method !== "GET" && method !== "HEAD") {
      sendJson(res, 405, `Method ${method} is not allowed here.`, { Allow: "GET, HEAD" });
      return;
    }
    const url = new URL(req.url ?? "/", "http://attune.invalid");
    const segment = MEDIA_PATH.exec(url.pathname)?.[1] ?? "";
    let recordingId = "";
    try {
      if (segment.length <= MAX_RECORDING_ID_IN_PATH) recordingId = decodeURIComponent(segment);
    } catch {
      recordingId = "";
    }
    if (!recordingId) {
      sendJson(res, 404, "No such recording.");
      return;
    }
    const user = await userFromCookieHeader(req.headers.cookie);
    const range = req.headers.range ?? null;
    const answer = await answerMedia(user, { recordingId, grantId: url.searchParams.get("g") ?? "", range, head: method === "HEAD" });
    if (answer.kind === "refused") sendJson(res, answer.status, answer.error, answer.headers);
    else await sendBytes(res, answer);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "media request failed", error: String(error) }));
    if (!res.headersSent) sendJson(res, 500, "The recording could not be played. Please try again.");
    else res.destroy();
  }
}
