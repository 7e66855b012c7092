import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { contentRange, parseRangeHeader } from "#app/domain/http-range";
import { can } from "#app/domain/permissions";
import { authenticatedBody } from "#app/http/stream.server";
import { playbackFacts } from "#app/models/playback.server";
import { relationsToRecording } from "#app/models/recording.server";
import { recordingKeyring, recordingStore } from "#app/storage/config.server";
import { RecordingError } from "#app/storage/errors.server";
import { readRecording } from "#app/storage/recordings.server";

/**
 * The plaintext of a READY recording, streamed with HTTP Range, for the player
 * on its page. Needs the session, the same permission as the page, and an
 * unexpired playback grant of this person for this recording (`?g=`), issued
 * when the page was opened (docs/recordings.md, "Playback"). Nothing is audited
 * here: the grant is the playback session, audited when it was issued.
 */

// X-Content-Type-Options: nosniff is on every response already (server/security.ts); adding it here would send it twice.
// Cache-Control becomes "private, no-store" there too, for any request with a session cookie.
const COMMON = {
  "Accept-Ranges": "bytes",
  "Cache-Control": "no-store",
};

function problem(status: number, error: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error }, { status, headers: { ...COMMON, ...headers } });
}

function logFailure(recordingId: string, error: unknown, when: "before-first-byte" | "mid-stream") {
  const code = error instanceof RecordingError ? error.code : "unknown";
  console.error(JSON.stringify({ level: "error", msg: "recording playback failed", recordingId, code, when, error: String(error) }));
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "recording:play");
  const grantId = new URL(args.request.url).searchParams.get("g") ?? "";
  // One statement: the recording, this person's relations to it, and their grant (every range request asks).
  const recording = args.params.recordingId
    ? await playbackFacts(getDb(), { recordingId: args.params.recordingId, userId: user.id, grantId })
    : null;
  // Someone else's recording looks like no recording: the same JSON 404 either way.
  if (!recording || !can(user, "recording:play", relationsToRecording(user, recording))) return problem(404, "No such recording.");

  if (!recording.grantValid) {
    return problem(403, "This playback link has expired or is not yours: open the recording's page again.");
  }
  if (recording.status === "WITHDRAWN" || recording.status === "PURGED") {
    return problem(410, "This recording was withdrawn or deleted and can no longer be played.");
  }
  if (recording.status !== "READY" || !recording.wrappedKey || !recording.keyId || !recording.mimeType) {
    return problem(404, "This recording is not ready to play.");
  }

  const size = recording.size;
  const wanted = parseRangeHeader(args.request.headers.get("Range"), size);
  if (wanted.kind === "unsatisfiable") {
    return problem(416, "That byte range is not within the recording.", { "Content-Range": contentRange(null, size) });
  }
  const spec = wanted.kind === "partial" ? { start: wanted.start, end: wanted.end } : { start: 0 };

  let body: AsyncGenerator<Buffer>;
  let first: IteratorResult<Buffer>;
  let range: { start: number; end: number };
  try {
    const wrappedKey = { keyId: recording.keyId, wrapped: Buffer.from(recording.wrappedKey, "base64") };
    const opened = await readRecording(recordingStore(), recordingKeyring(), recording.id, wrappedKey, spec);
    if (opened.size !== size) throw new RecordingError("integrity", `Stored size ${opened.size} differs from the recorded ${size}.`);
    body = opened.body;
    range = opened.range;
    // Read (and authenticate) the first chunk before answering: a damaged recording gets an error status, not a
    // 200 or 206 that would have to break off before its first byte.
    first = await body.next();
  } catch (error) {
    // 500, not 502: the stored bytes are ours and damaged (or our keys are wrong); no upstream served a bad answer,
    // and nothing the client can change will fix it. Never a 2xx with bytes that did not authenticate.
    logFailure(recording.id, error, "before-first-byte");
    return problem(500, "This recording could not be read intact. The team has been told; please try again later.");
  }

  const stream = authenticatedBody(body, first, {
    request: args.request,
    context: args.context,
    onError: (error) => logFailure(recording.id, error, "mid-stream"),
  });

  const headers: Record<string, string> = {
    ...COMMON,
    "Content-Type": recording.mimeType,
    "Content-Disposition": "inline",
    "Content-Length": String(range.end - range.start),
  };
  if (wanted.kind === "partial") headers["Content-Range"] = contentRange(range, size);
  return new Response(stream, { status: wanted.kind === "partial" ? 206 : 200, headers });
}
