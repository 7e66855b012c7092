// Playback: the recording page issues one grant and one audit event per view; the media route serves the verified
// plaintext with HTTP Range to the person the grant names, and nothing to anyone else. Real database, the filesystem
// store, recordings uploaded through the real tus endpoint (test/support/recordings.ts).
import { randomBytes } from "node:crypto";
import { type IncomingMessage, request } from "node:http";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "#app/db.server";
import { startPlayback } from "#app/models/playback.server";
import { loader as caseLoader } from "#app/routes/cases.$caseId";
import { loader as pageLoader } from "#app/routes/recordings.$recordingId";
import { FileBlobStore } from "#app/storage/blob-store.server";
import { recordingKeyring, recordingStore } from "#app/storage/config.server";
import { writeRecording } from "#app/storage/recordings.server";
import { callLoader, cookieFor, makeUser } from "../support/app";
import { traineeWithSession } from "../support/case-fixtures";
import { reservedRecording } from "../support/recording-fixtures";
import { endpointsBase, fetchMedia, readyRecording } from "../support/recordings";
import { flipStoredByte } from "../support/stored-chunks";

const CHUNK = Number(process.env.RECORDING_CHUNK_BYTES);

type Page = { player: { src: string; hasVideo: boolean; mimeType: string } | null; status: string; sha256: string | null };

async function openPage(cookie: string | undefined, recordingId: string) {
  return callLoader(pageLoader, { path: `/recordings/${recordingId}`, params: { recordingId }, cookie });
}

async function playerSrc(cookie: string, recordingId: string): Promise<string> {
  const out = await openPage(cookie, recordingId);
  expect(out.status).toBe(200);
  const src = (out.data as Page).player?.src;
  if (!src) throw new Error("no player");
  return src;
}

/** Fetches from the media endpoint over loopback HTTP, as the browser's player would. */
const media = (src: string, cookie: string | undefined, range?: string) => fetchMedia(src, cookie, range);

const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

/** A small deterministic generator, so a failing random range can be replayed from the seed in the message. */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the media route serves exactly the requested bytes", () => {
  it("no Range → 200 with the whole file, its length and the playback headers", async () => {
    const { trainee, recordingId, file } = await readyRecording();
    const cookie = await cookieFor(trainee.id);
    const res = await media(await playerSrc(cookie, recordingId), cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Length")).toBe(String(file.length));
    expect(res.headers.get("Content-Type")).toBe("video/mp4");
    expect(res.headers.get("Accept-Ranges")).toBe("bytes");
    expect(res.headers.get("Content-Disposition")).toBe("inline");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    // X-Content-Type-Options comes from server/security.ts for every response (test/e2e/playback.test.ts).
    expect(res.headers.get("Content-Range")).toBeNull();
    expect((await bytesOf(res)).equals(file)).toBe(true);
  });

  it("single ranges (first, last, middle, across chunk boundaries, suffix, open-ended, random) → 206 with those bytes", async () => {
    const { trainee, recordingId, file } = await readyRecording();
    expect(file.length).toBeGreaterThan(3 * CHUNK);
    const cookie = await cookieFor(trainee.id);
    const src = await playerSrc(cookie, recordingId);
    const size = file.length;
    const cases: [string, number, number][] = [
      ["bytes=0-0", 0, 1],
      [`bytes=${size - 1}-${size - 1}`, size - 1, size],
      [`bytes=${CHUNK - 1}-${CHUNK}`, CHUNK - 1, CHUNK + 1],
      [`bytes=${CHUNK - 5}-${2 * CHUNK + 5}`, CHUNK - 5, 2 * CHUNK + 6],
      [`bytes=${CHUNK}-${2 * CHUNK - 1}`, CHUNK, 2 * CHUNK],
      ["bytes=1000-1999", 1000, 2000],
      [`bytes=${CHUNK + 17}-`, CHUNK + 17, size],
      ["bytes=-1", size - 1, size],
      [`bytes=-${CHUNK + 3}`, size - CHUNK - 3, size],
      [`bytes=-${size + 100}`, 0, size],
      [`bytes=${size - 10}-${size + 5000}`, size - 10, size],
    ];
    const seed = Date.now();
    const rand = prng(seed);
    for (let i = 0; i < 12; i++) {
      const a = rand(size);
      const b = a + rand(size - a);
      cases.push([`bytes=${a}-${b}`, a, b + 1]);
    }
    for (const [header, start, end] of cases) {
      const res = await media(src, cookie, header);
      const what = `${header} (seed ${seed})`;
      expect(res.status, what).toBe(206);
      expect(res.headers.get("Content-Range"), what).toBe(`bytes ${start}-${end - 1}/${size}`);
      expect(res.headers.get("Content-Length"), what).toBe(String(end - start));
      expect(res.headers.get("Accept-Ranges"), what).toBe("bytes");
      expect((await bytesOf(res)).equals(file.subarray(start, end)), what).toBe(true);
    }
  });

  it("several ranges → 200 with the whole file (we do not send multipart/byteranges)", async () => {
    const { trainee, recordingId, file } = await readyRecording();
    const cookie = await cookieFor(trainee.id);
    const res = await media(await playerSrc(cookie, recordingId), cookie, "bytes=0-9, 100-199");
    expect(res.status).toBe(200);
    expect((await bytesOf(res)).equals(file)).toBe(true);
  });

  it("invalid or unsatisfiable ranges → 416 with Content-Range bytes */size and a JSON error", async () => {
    const { trainee, recordingId, file } = await readyRecording();
    const cookie = await cookieFor(trainee.id);
    const src = await playerSrc(cookie, recordingId);
    for (const header of [
      "bytes=5-2",
      `bytes=${file.length}-`,
      `bytes=${file.length + 10}-${file.length + 20}`,
      "bytes=-0",
      "garbage",
      "bytes=a-b",
      "items=0-1",
    ]) {
      const res = await media(src, cookie, header);
      expect(res.status, header).toBe(416);
      expect(res.headers.get("Content-Range"), header).toBe(`bytes */${file.length}`);
      expect(((await res.json()) as { error: string }).error, header).toMatch(/range/);
    }
  });

  it("an audio recording plays from an <audio> player with its own type", async () => {
    const { trainee, recordingId, file } = await readyRecording("audio", 2);
    const cookie = await cookieFor(trainee.id);
    const out = await openPage(cookie, recordingId);
    const page = out.data as Page;
    expect(page.player).toMatchObject({ hasVideo: false, mimeType: "audio/x-m4a" });
    const res = await media(page.player?.src as string, cookie, "bytes=10-");
    expect(res.headers.get("Content-Type")).toBe("audio/x-m4a");
    expect((await bytesOf(res)).equals(file.subarray(10))).toBe(true);
  });
});

describe("damaged recordings are reported, never served", () => {
  function tamperChunk(recordingId: string, index: number) {
    flipStoredByte(path.join(process.env.RECORDINGS_DIR as string, recordingId), index, 20);
  }

  it("a flipped byte in a chunk: a range starting in it gets a 500 JSON error (logged); earlier chunks still play", async () => {
    const { trainee, recordingId, file } = await readyRecording();
    const cookie = await cookieFor(trainee.id);
    const src = await playerSrc(cookie, recordingId);
    tamperChunk(recordingId, 1);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await media(src, cookie, `bytes=${CHUNK + 10}-${CHUNK + 20}`);
    expect(res.status).toBe(500);
    expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(((await res.json()) as { error: string }).error).toMatch(/could not be read intact/);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/"code":"integrity".*"when":"before-first-byte"/);
    // Chunk 0 is intact and still plays.
    const ok = await media(src, cookie, `bytes=0-${CHUNK - 1}`);
    expect(ok.status).toBe(206);
    expect((await bytesOf(ok)).equals(file.subarray(0, CHUNK))).toBe(true);
  });

  it("a damaged chunk reached mid-stream aborts the body after the good bytes, never yielding bad ones", async () => {
    const { trainee, recordingId, file } = await readyRecording();
    const cookie = await cookieFor(trainee.id);
    const src = await playerSrc(cookie, recordingId);
    tamperChunk(recordingId, 2);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const range of [undefined, `bytes=${CHUNK - 100}-`]) {
      const res = await media(src, cookie, range);
      expect([200, 206], String(range)).toContain(res.status);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const got: Buffer[] = [];
      let failure: unknown = null;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          got.push(Buffer.from(value));
        }
      } catch (error) {
        failure = error;
      }
      // The server breaks the transfer off short of its Content-Length: the client sees a broken download.
      expect(failure, String(range)).toBeInstanceOf(TypeError);
      expect(String((failure as TypeError).cause), String(range)).toMatch(/other side closed|terminated|socket/i);
      const start = range ? CHUNK - 100 : 0;
      const received = Buffer.concat(got);
      // Exactly the bytes before the damaged chunk, all of them right.
      expect(received.equals(file.subarray(start, 2 * CHUNK)), String(range)).toBe(true);
    }
    expect(logged).toHaveBeenCalledTimes(2);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/"when":"mid-stream"/);
  });
});

describe("who may play", () => {
  it("everyone but the trainee, the case supervisor, moderators and admins is refused on the page and the media route", async () => {
    const { trainee, supervisor, recordingId, file, clientCode } = await readyRecording();
    const ownerCookie = await cookieFor(trainee.id);
    const src = await playerSrc(ownerCookie, recordingId);

    const allowed = {
      "the trainee": trainee.id,
      "the case supervisor": supervisor.id,
      "a moderator": (await makeUser(["MODERATOR"])).id,
      "an admin": (await makeUser(["ADMIN"])).id,
    };
    for (const [who, id] of Object.entries(allowed)) {
      const cookie = await cookieFor(id);
      const own = await playerSrc(cookie, recordingId);
      const res = await media(own, cookie, "bytes=0-99");
      expect(res.status, who).toBe(206);
      expect((await bytesOf(res)).equals(file.subarray(0, 100)), who).toBe(true);
    }

    const deactivated = await makeUser(["TRAINEE"]);
    const deactivatedCookie = await cookieFor(deactivated.id);
    await getDb().user.update({ where: { id: deactivated.id }, data: { status: "DEACTIVATED" } });
    const refused: [string, string | undefined, number][] = [
      ["another trainee", await cookieFor((await makeUser(["TRAINEE"])).id), 404],
      ["a trainer who does not supervise the case", await cookieFor((await makeUser(["TRAINER"])).id), 404],
      ["an accreditor", await cookieFor((await makeUser(["ACCREDITOR"])).id), 403],
      ["anonymous", undefined, 302],
      ["a deactivated user", deactivatedCookie, 302],
    ];
    for (const [who, cookie, status] of refused) {
      const page = await openPage(cookie, recordingId);
      expect(page.status, `${who} (page)`).toBe(status);
      if (status === 302) expect(page.headers.get("Location"), who).toMatch(/^\/login/);
      expect(JSON.stringify(page.data), who).not.toContain(clientCode);
      // With the owner's grant in hand, too. The page sends the signed-out to sign in; the media endpoint (a player
      // cannot follow that) answers 401 with a JSON error.
      const res = await media(src, cookie);
      expect(res.status, `${who} (media)`).toBe(status === 302 ? 401 : status);
      if (status === 302) expect(await res.json(), who).toEqual({ error: "Sign in to play recordings." });
      // Someone else's recording: the media route's own JSON 404, as for no recording at all.
      if (status === 404) expect(await res.json(), who).toEqual({ error: "No such recording." });
    }
  });

  it("raters play through their assignment: summative or calibration while it stands, never once it is withdrawn", async () => {
    const { supervisor, recordingId, file } = await readyRecording();
    const db = getDb();
    const assign = async (purpose: "SUMMATIVE" | "CALIBRATION") => {
      const rater = await makeUser(["TRAINER"]);
      const a = await db.ratingAssignment.create({
        data: { recordingId, raterId: rater.id, role: "PRIMARY", purpose, assignedById: supervisor.id },
      });
      const { grantId } = await startPlayback(db, { userId: rater.id, recordingId });
      return { cookie: await cookieFor(rater.id), src: `/recordings/${recordingId}/media?g=${grantId}`, assignmentId: a.id };
    };
    for (const purpose of ["SUMMATIVE", "CALIBRATION"] as const) {
      const r = await assign(purpose);
      const res = await media(r.src, r.cookie, "bytes=100-199");
      expect(res.status, purpose).toBe(206);
      expect((await bytesOf(res)).equals(file.subarray(100, 200)), purpose).toBe(true);
      await db.ratingAssignment.update({ where: { id: r.assignmentId }, data: { withdrawnAt: new Date() } });
      expect((await media(r.src, r.cookie, "bytes=100-199")).status, `${purpose}, withdrawn`).toBe(404);
    }
  });

  it("a grant is the person's own: another allowed person, another recording, a missing or expired grant → 403", async () => {
    const { trainee, supervisor, recordingId } = await readyRecording();
    const other = await readyRecording("audio", 2);
    const ownerCookie = await cookieFor(trainee.id);
    const src = await playerSrc(ownerCookie, recordingId);
    const grantId = new URL(src, "http://localhost").searchParams.get("g") as string;
    expect(grantId).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The supervisor may play the recording, but not with the trainee's grant.
    const supervisorCookie = await cookieFor(supervisor.id);
    const leaked = await media(src, supervisorCookie, "bytes=0-9");
    expect(leaked.status).toBe(403);
    expect(((await leaked.json()) as { error: string }).error).toMatch(/expired or is not yours/);
    // Nor on another recording of the trainee's own (they may play that one, with its own grant).
    const otherOwnerCookie = await cookieFor(other.trainee.id);
    const otherAsOwner = await media(`/recordings/${other.recordingId}/media?g=${grantId}`, otherOwnerCookie);
    expect(otherAsOwner.status).toBe(403);
    // No grant, a made-up one.
    expect((await media(`/recordings/${recordingId}/media`, ownerCookie)).status).toBe(403);
    expect((await media(`/recordings/${recordingId}/media?g=${"A".repeat(43)}`, ownerCookie)).status).toBe(403);
    // The right grant still works, until it expires.
    expect((await media(src, ownerCookie, "bytes=0-9")).status).toBe(206);
    await getDb().playbackGrant.update({ where: { id: grantId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await media(src, ownerCookie, "bytes=0-9")).status).toBe(403);
  });

  it("a withdrawn or purged recording → 410 even with a grant; one still uploading → 404; its page has no player", async () => {
    const { trainee, recordingId } = await readyRecording("audio", 2);
    const cookie = await cookieFor(trainee.id);
    const src = await playerSrc(cookie, recordingId);
    const db = getDb();
    await db.recording.update({ where: { id: recordingId }, data: { status: "WITHDRAWN", withdrawnAt: new Date() } });
    const withdrawn = await media(src, cookie);
    expect(withdrawn.status).toBe(410);
    expect(((await withdrawn.json()) as { error: string }).error).toMatch(/withdrawn/);
    const page = await openPage(cookie, recordingId);
    expect(page.status).toBe(200);
    expect((page.data as Page).player).toBeNull();
    expect(await db.playbackGrant.count({ where: { recordingId } })).toBe(1);
    await db.recording.update({ where: { id: recordingId }, data: { status: "PURGED", purgedAt: new Date() } });
    expect((await media(src, cookie)).status).toBe(410);
    await db.recording.update({ where: { id: recordingId }, data: { status: "UPLOADING" } });
    expect((await media(src, cookie)).status).toBe(404);
    expect((await openPage(cookie, recordingId)).status).toBe(200);
    // An unknown recording is a 404 for the page and the media route.
    expect((await openPage(cookie, "no-such-recording")).status).toBe(404);
    expect((await media("/recordings/no-such-recording/media?g=x", cookie)).status).toBe(404);
  });

  it("an id that cannot be ours (over 200 characters, bad percent-encoding) is a JSON 404 before any session check", async () => {
    for (const id of ["x".repeat(201), "%E0%A4%A", "a%ZZb"]) {
      const res = await media(`/recordings/${id}/media?g=x`, undefined);
      expect(res.status, id).toBe(404);
      expect(await res.json(), id).toEqual({ error: "No such recording." });
    }
    // Up to 200 characters it is an id to look up: signed out, that is a 401 first.
    expect((await media(`/recordings/${"x".repeat(200)}/media?g=x`, undefined)).status).toBe(401);
  });
});

describe("auditing", () => {
  it("exactly one recording.played per page view, none per range request, and no clinical content in it", async () => {
    const { trainee, supervisor, recordingId, clientCode } = await readyRecording();
    const db = getDb();
    const played = () => db.auditEvent.findMany({ where: { type: "recording.played", subjectId: recordingId }, orderBy: { id: "asc" } });
    expect(await played()).toEqual([]);
    const cookie = await cookieFor(trainee.id);
    const src = await playerSrc(cookie, recordingId);
    expect((await played()).map((e) => e.actorId)).toEqual([trainee.id]);
    for (const range of [undefined, "bytes=0-1", "bytes=100-", "bytes=-5", "bytes=5-2"]) {
      const res = await media(src, cookie, range);
      await res.arrayBuffer();
    }
    expect((await played()).length).toBe(1);
    await playerSrc(await cookieFor(supervisor.id), recordingId);
    await playerSrc(cookie, recordingId);
    const events = await played();
    expect(events.map((e) => e.actorId)).toEqual([trainee.id, supervisor.id, trainee.id]);
    expect(await db.playbackGrant.count({ where: { recordingId } })).toBe(3);
    for (const e of events) expect(JSON.stringify(e)).not.toContain(clientCode);
  });

  it("a page view without a player (not READY) issues no grant and writes no event", async () => {
    const { trainee, recordingId } = await readyRecording("audio", 2);
    const db = getDb();
    await db.recording.update({ where: { id: recordingId }, data: { status: "WITHDRAWN", withdrawnAt: new Date() } });
    await openPage(await cookieFor(trainee.id), recordingId);
    expect(await db.auditEvent.count({ where: { type: "recording.played", subjectId: recordingId } })).toBe(0);
    expect(await db.playbackGrant.count({ where: { recordingId } })).toBe(0);
  });
});

describe("the case page", () => {
  it("lists each session's recordings with their status, for the people who may play them", async () => {
    const { trainee, supervisor, caseId, recordingId } = await readyRecording("audio", 2);
    for (const id of [trainee.id, supervisor.id]) {
      const out = await callLoader(caseLoader, { path: `/cases/${caseId}`, params: { caseId }, cookie: await cookieFor(id) });
      expect(out.status).toBe(200);
      expect((out.data as { recordings: unknown[] }).recordings).toEqual([
        {
          id: recordingId,
          status: "READY",
          durationSeconds: expect.any(Number),
          uploadedOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
          session: 1,
        },
      ]);
    }
  });
});

/** A READY recording of `size` random bytes for the scene's session, written straight into the store (no media checks). */
async function largeRecording(size: number) {
  const scene = await traineeWithSession();
  const id = await reservedRecording(scene);
  const data = randomBytes(size);
  const store = recordingStore();
  // The reserved row's blob was never begun (no tus creation request): write the whole recording now.
  const { wrappedKey, manifest } = await writeRecording(
    store,
    recordingKeyring(),
    id,
    (async function* () {
      yield data;
    })(),
    { chunkSize: CHUNK },
  );
  await getDb().recording.update({
    where: { id },
    data: {
      status: "READY",
      receivedBytes: BigInt(size),
      mimeType: "audio/ogg",
      sha256: manifest.sha256,
      wrappedKey: wrappedKey.wrapped.toString("base64"),
      keyId: wrappedKey.keyId,
      completedAt: new Date(),
      durationSeconds: 60,
    },
  });
  return { ...scene, recordingId: id, data };
}

/** Counts the sealed chunks the filesystem store hands out, whoever asks. */
function countChunkReads(): { count: () => number } {
  let n = 0;
  const original = FileBlobStore.prototype.readChunks;
  vi.spyOn(FileBlobStore.prototype, "readChunks").mockImplementation(async function* (this: FileBlobStore, ...args) {
    for await (const chunk of original.apply(this, args)) {
      n += 1;
      yield chunk;
    }
  });
  return { count: () => n };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("streaming", () => {
  const SIZE = 32 * 1024 * 1024; // far more than loopback socket buffers hold

  /** A large recording played by its trainee over a real socket: the request, its response, and the chunks read so far. */
  async function playOverSocket() {
    const { trainee, recordingId, data } = await largeRecording(SIZE);
    const cookie = await cookieFor(trainee.id);
    const src = await playerSrc(cookie, recordingId);
    const reads = countChunkReads();
    const req = request(`${await endpointsBase()}${src}`, { headers: { Cookie: cookie } });
    const res = await new Promise<IncomingMessage>((resolve, reject) => req.on("response", resolve).on("error", reject).end());
    return { req, res, reads, data };
  }

  it("reads and decrypts only as fast as the client takes the bytes, and all of them in the end", async () => {
    const { res, reads, data } = await playOverSocket();
    const parts: Buffer[] = [];
    expect(res.statusCode).toBe(200);
    res.pause();
    // A stalled client: the server fills the socket's buffers, then waits.
    await sleep(300);
    const stalled = reads.count();
    await sleep(300);
    expect(reads.count()).toBe(stalled);
    expect(stalled).toBeLessThan(SIZE / CHUNK / 2);
    res.on("data", (part: Buffer) => parts.push(part));
    await new Promise((resolve) => res.on("end", resolve).resume());
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    expect(reads.count()).toBe(SIZE / CHUNK);
  });

  it("stops reading when the client goes away", async () => {
    const { req, res, reads } = await playOverSocket();
    expect(res.statusCode).toBe(200);
    await new Promise((resolve) => res.once("data", resolve));
    req.destroy();
    await sleep(300);
    const after = reads.count();
    await sleep(300);
    expect(reads.count()).toBe(after);
    expect(after).toBeLessThan(SIZE / CHUNK / 2);
  });
});
