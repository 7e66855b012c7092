// The tus upload endpoint over real HTTP (our gate + @tus/server + the encrypting store), a real database and the
// filesystem store: resumable, encrypted as it arrives, refused for everyone but the owner.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { attestConsent } from "#app/models/case.server";
import { handleUpload } from "#app/recordings/uploads.server";
import { cookieFor, makeUser } from "../support/app";
import { traineeWithSession } from "../support/case-fixtures";
import { mediaFixture, PLAINTEXT_MARKER } from "../support/media";

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => void handleUpload(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const CHUNK = Number(process.env.RECORDING_CHUNK_BYTES);

const tus = { "Tus-Resumable": "1.0.0" };
const meta = (target: string) => `target ${Buffer.from(target).toString("base64")}`;

async function create(cookie: string | undefined, target: string, size: number) {
  return fetch(`${base}/uploads`, {
    method: "POST",
    headers: { ...tus, ...(cookie ? { Cookie: cookie } : {}), "Upload-Length": String(size), "Upload-Metadata": meta(target) },
  });
}

async function patch(url: string, cookie: string, offset: number, bytes: Uint8Array) {
  const body = new Blob([Uint8Array.from(bytes)]);
  return fetch(`${base}${url}`, {
    method: "PATCH",
    headers: { ...tus, Cookie: cookie, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    body,
  });
}

async function head(url: string, cookie: string) {
  return fetch(`${base}${url}`, { method: "HEAD", headers: { ...tus, Cookie: cookie } });
}

function storedFiles(recordingId: string): Buffer[] {
  const dir = path.join(process.env.RECORDINGS_DIR as string, recordingId);
  return readdirSync(dir).map((name) => readFileSync(path.join(dir, name)));
}

describe("resumable, encrypted uploads", () => {
  it("an upload cut off mid-way resumes from the last whole chunk and completes; no plaintext is stored", async () => {
    const { cookie, sessionId } = await traineeWithSession();
    const file = mediaFixture("video", 6);
    expect(file.length).toBeGreaterThan(3 * CHUNK);
    const created = await create(cookie, `session:${sessionId}`, file.length);
    expect(created.status).toBe(201);
    const url = created.headers.get("Location") as string;
    expect(url).toMatch(/^\/uploads\/[A-Za-z0-9_-]{16,}$/);
    expect(created.headers.get("Cache-Control")).toBe("no-store");

    // The first request carries two and a half chunks, then stops: the half chunk is not kept.
    const first = await patch(url, cookie, 0, file.subarray(0, 2 * CHUNK + CHUNK / 2));
    expect(first.status).toBe(204);
    expect(first.headers.get("Upload-Offset")).toBe(String(2 * CHUNK));
    const resumed = await head(url, cookie);
    expect(resumed.headers.get("Upload-Offset")).toBe(String(2 * CHUNK));
    // A PATCH from the wrong offset is refused.
    expect((await patch(url, cookie, 2 * CHUNK + 10, file.subarray(2 * CHUNK + 10))).status).toBe(409);
    const rest = await patch(url, cookie, 2 * CHUNK, file.subarray(2 * CHUNK));
    expect(rest.status).toBe(204);
    expect(rest.headers.get("Upload-Offset")).toBe(String(file.length));

    const row = await getDb().recording.findFirstOrThrow({ where: { uploadId: url.split("/").pop() } });
    expect(row).toMatchObject({
      status: "READY",
      kind: "CASE_SESSION",
      caseSessionId: sessionId,
      mimeType: "video/mp4",
      hasVideo: true,
      sha256: createHash("sha256").update(file).digest("hex"),
      receivedBytes: BigInt(file.length),
    });
    expect(row.durationSeconds).toBeGreaterThan(5.5);
    expect(row.durationSeconds).toBeLessThan(6.5);
    expect(row.wrappedKey).toEqual(expect.any(String));
    const stored = Buffer.concat(storedFiles(row.id));
    expect(stored.length).toBeGreaterThan(file.length);
    expect(file.includes(Buffer.from(PLAINTEXT_MARKER))).toBe(true);
    expect(stored.includes(Buffer.from(PLAINTEXT_MARKER))).toBe(false);
    expect(stored.includes(file.subarray(4096, 4096 + 64))).toBe(false);
    const audit = await getDb().auditEvent.findFirst({ where: { type: "recording.uploaded", subjectId: row.id } });
    expect(audit).not.toBeNull();
  });

  it("an upload sent in one request completes too (audio only)", async () => {
    const { cookie, sessionId } = await traineeWithSession();
    const file = mediaFixture("audio", 2);
    const created = await create(cookie, `session:${sessionId}`, file.length);
    expect(created.status, await created.clone().text()).toBe(201);
    const url = created.headers.get("Location") as string;
    const done = await patch(url, cookie, 0, file);
    expect(done.status).toBe(204);
    const row = await getDb().recording.findFirstOrThrow({ where: { uploadId: url.split("/").pop() } });
    expect(row).toMatchObject({ status: "READY", hasVideo: false });
  });

  it("a role-play recording needs the actor's consent, attested without a case", async () => {
    const trainee = await makeUser(["TRAINEE"]);
    const cookie = await cookieFor(trainee.id);
    const file = mediaFixture("audio", 2);
    expect((await create(cookie, "role-play", file.length)).status).toBe(403);
    await attestConsent(getDb(), {
      caseId: null,
      attestedById: trainee.id,
      consentOn: new Date("2026-11-03"),
      method: "WRITTEN_FORM",
      forSupervision: false,
      forAssessment: true,
    });
    const created = await create(cookie, "role-play", file.length);
    expect(created.status).toBe(201);
    const url = created.headers.get("Location") as string;
    expect((await patch(url, cookie, 0, file)).status).toBe(204);
    const row = await getDb().recording.findFirstOrThrow({ where: { uploadId: url.split("/").pop() } });
    expect(row).toMatchObject({ status: "READY", kind: "ROLE_PLAY", caseSessionId: null, ownerId: trainee.id });
  });

  it("a renamed non-media file is refused with a reason, and nothing of it is kept", async () => {
    const { cookie, sessionId } = await traineeWithSession();
    const text = Buffer.from(`${"Session notes that are not a recording. ".repeat(1200)}`);
    const created = await create(cookie, `session:${sessionId}`, text.length);
    const url = created.headers.get("Location") as string;
    const refused = await patch(url, cookie, 0, text);
    expect(refused.status).toBe(415);
    expect(await refused.text()).toMatch(/MP3|audio|recording/i);
    const row = await getDb().recording.findFirstOrThrow({ where: { uploadId: url.split("/").pop() } });
    expect(row).toMatchObject({ status: "REJECTED", wrappedKey: null });
    expect(row.rejectReason).toMatch(/./);
    expect(() => storedFiles(row.id)).toThrow();
    // The upload is gone for good.
    expect((await head(url, cookie)).status).toBe(410);
  });

  it("needs consent, an own open case session and a size within the limit", async () => {
    const noConsent = await traineeWithSession({ consent: false });
    const refused = await create(noConsent.cookie, `session:${noConsent.sessionId}`, 1000);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/consent/);
    const other = await traineeWithSession();
    expect((await create(other.cookie, `session:${noConsent.sessionId}`, 1000)).status).toBe(404);
    expect((await create(other.cookie, "session:nope", 1000)).status).toBe(404);
    expect((await create(other.cookie, "nonsense", 1000)).status).toBe(400);
    expect((await create(other.cookie, `session:${other.sessionId}`, 3 * 1024 * 1024 * 1024)).status).toBe(413);
    expect(await getDb().recording.count({ where: { ownerId: { in: [noConsent.trainee.id, other.trainee.id] } } })).toBe(0);
  });

  it("refuses everyone but the owner on every tus request, and stops when consent is withdrawn", async () => {
    const { cookie, sessionId, supervisor, caseId, trainee } = await traineeWithSession();
    const file = mediaFixture("audio", 2);
    const url = (await create(cookie, `session:${sessionId}`, file.length)).headers.get("Location") as string;
    expect((await create(undefined, `session:${sessionId}`, 100)).status).toBe(401);
    const outsiders = {
      "another trainee": await cookieFor((await makeUser(["TRAINEE"])).id),
      "the supervisor": await cookieFor(supervisor.id),
      "an admin": await cookieFor((await makeUser(["ADMIN"])).id),
      "an accreditor": await cookieFor((await makeUser(["ACCREDITOR"])).id),
    };
    for (const [who, c] of Object.entries(outsiders)) {
      const expected = who === "another trainee" ? 404 : 403;
      expect((await head(url, c)).status, who).toBe(expected);
      expect((await patch(url, c, 0, file)).status, who).toBe(expected);
    }
    const deactivated = await makeUser(["TRAINEE"]);
    const deactivatedCookie = await cookieFor(deactivated.id);
    await getDb().user.update({ where: { id: deactivated.id }, data: { status: "DEACTIVATED" } });
    expect((await head(url, deactivatedCookie)).status).toBe(401);
    expect((await fetch(`${base}${url}`, { headers: { Cookie: cookie } })).status).toBe(405);

    const consent = await getDb().consentAttestation.findFirstOrThrow({ where: { caseId } });
    await getDb().consentAttestation.update({ where: { id: consent.id }, data: { withdrawnAt: new Date() } });
    expect((await patch(url, cookie, 0, file)).status).toBe(403);
    const row = await getDb().recording.findFirstOrThrow({ where: { ownerId: trainee.id } });
    expect(row.receivedBytes).toBe(0n);
  });
});
