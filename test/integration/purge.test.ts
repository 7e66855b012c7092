// Retention over the real upload endpoint, a real database and the filesystem store: purge shreds the key first
// (tombstone + audit), then deletes the bytes; legal holds block it; withdrawn recordings and abandoned uploads go at
// the next run; running it twice, or twice at once, purges each recording once. The retention route (withdraw, hold,
// release) is called as the browser's form would call it. test/integration/purge-db-store.test.ts: the database store.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, getDb } from "#app/db.server";
import { env } from "#app/env.server";
import { type PurgeCounts, purgeDue, schedulePurge, startPurgeTimer, stopPurgeTimer } from "#app/recordings/purge.server";
import { action as retentionAction } from "#app/routes/recordings.$recordingId.retention";
import { FileBlobStore } from "#app/storage/blob-store.server";
import { recordingStore } from "#app/storage/config.server";
import { callAction, cookieFor, makeUser } from "../support/app";
import { mediaFixture, PLAINTEXT_MARKER } from "../support/media";
import { patchUpload, startUploadEndpoint, traineeWithSession, uploadRecording } from "../support/recording-fixtures";

let endpoint: Awaited<ReturnType<typeof startUploadEndpoint>>;
beforeAll(async () => {
  endpoint = await startUploadEndpoint();
});
afterAll(async () => {
  await endpoint.close();
});

const DAY = 24 * 60 * 60 * 1000;
const CHUNK = Number(process.env.RECORDING_CHUNK_BYTES);
const later = (ms: number) => new Date(Date.now() + ms);
const lines: string[] = [];
const purge = (now: Date, db = getDb()) => purgeDue({ db, store: recordingStore(), now, log: (l) => lines.push(l) });
const NOTHING: PurgeCounts = { purged: 0, blobsDeleted: 0, leftoverBlobsDeleted: 0, abandonedBlobsDeleted: 0, held: 0, failed: 0 };

// Each test starts with nothing due: whatever an earlier one left is purged (far beyond every deadline).
afterEach(async () => {
  await getDb().recording.updateMany({ data: { legalHold: false } });
  await purge(later(3650 * DAY));
  lines.length = 0;
});

const dir = (id: string) => path.join(env().RECORDINGS_DIR, id);
const row = (id: string) => getDb().recording.findUniqueOrThrow({ where: { id } });
const events = (type: string, subjectId: string) => getDb().auditEvent.findMany({ where: { type, subjectId } });

function retention(cookie: string, recordingId: string, form: Record<string, string>) {
  return callAction(retentionAction, { path: `/recordings/${recordingId}/retention`, params: { recordingId }, cookie, form });
}

describe("purge", () => {
  it("destroys the key first and keeps a tombstone and an audit event, then deletes the bytes", async () => {
    const scene = await traineeWithSession();
    const file = mediaFixture("audio", 2);
    const { id } = await uploadRecording(endpoint.base, scene, file);
    const ready = await row(id);
    expect(ready).toMatchObject({ status: "READY", wrappedKey: expect.any(String) });
    expect(existsSync(dir(id))).toBe(true);

    // Not due yet: nothing happens.
    expect(await purge(new Date())).toEqual(NOTHING);
    expect((await row(id)).wrappedKey).toBe(ready.wrappedKey);

    const now = new Date(ready.deleteAfter.getTime() + 1000);
    expect(await purge(now)).toEqual({ ...NOTHING, purged: 1, blobsDeleted: 1 });
    const tombstone = await row(id);
    expect(tombstone).toMatchObject({
      status: "PURGED",
      wrappedKey: null,
      keyId: null,
      purgedAt: now,
      ownerId: scene.trainee.id,
      sha256: ready.sha256,
      declaredSize: BigInt(file.length),
      createdAt: ready.createdAt,
      completedAt: ready.completedAt,
    });
    expect(await new FileBlobStore(env().RECORDINGS_DIR).status(id)).toBeNull();
    expect(existsSync(dir(id))).toBe(false);
    const [event, ...more] = await events("recording.purged", id);
    expect(more).toEqual([]);
    expect(JSON.parse(event?.data ?? "{}")).toEqual({ size: file.length, sha256: ready.sha256, reason: "retention-ended" });
    expect(event?.data).not.toContain(PLAINTEXT_MARKER);
  });

  it("leaves a recording on legal hold alone; once the hold is lifted, the next run purges it", async () => {
    const scene = await traineeWithSession();
    const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("audio", 2));
    const admin = await cookieFor((await makeUser(["ADMIN"])).id);
    const held = await retention(admin, id, { intent: "hold", reason: "Complaint 2026-14 under investigation" });
    expect(held.status).toBe(303);
    expect(held.headers.get("Location")).toBe(`/recordings/${id}?retention=held#retention`);
    expect(await row(id)).toMatchObject({ legalHold: true, legalHoldReason: "Complaint 2026-14 under investigation" });
    expect(await events("recording.hold", id)).toHaveLength(1);

    const far = later(400 * DAY);
    expect(await purge(far)).toEqual({ ...NOTHING, held: 1 });
    expect(await row(id)).toMatchObject({ status: "READY", wrappedKey: expect.any(String) });
    expect(existsSync(dir(id))).toBe(true);
    // The owner cannot withdraw it away either: it stays until the hold ends.
    expect((await retention(scene.cookie, id, { intent: "withdraw", confirm: "yes" })).status).toBe(303);
    expect(await purge(far)).toEqual({ ...NOTHING, held: 1 });
    expect(existsSync(dir(id))).toBe(true);

    const released = await retention(admin, id, { intent: "release", reason: "Investigation closed" });
    expect(released.headers.get("Location")).toBe(`/recordings/${id}?retention=released#retention`);
    expect(await row(id)).toMatchObject({ legalHold: false, legalHoldReason: null });
    const [release] = await events("recording.hold-released", id);
    expect(JSON.parse(release?.data ?? "{}")).toMatchObject({
      reason: "Investigation closed",
      heldFor: "Complaint 2026-14 under investigation",
    });
    expect(await purge(far)).toEqual({ ...NOTHING, purged: 1, blobsDeleted: 1 });
    expect(await row(id)).toMatchObject({ status: "PURGED", wrappedKey: null });
    expect(existsSync(dir(id))).toBe(false);
  });

  it("purges a withdrawn recording at the next run, long before its deadline", async () => {
    const scene = await traineeWithSession();
    const file = mediaFixture("audio", 2);
    const { id, url } = await uploadRecording(endpoint.base, scene, file);
    const withdrawn = await retention(scene.cookie, id, { intent: "withdraw", confirm: "yes" });
    expect(withdrawn.status).toBe(303);
    expect(withdrawn.headers.get("Location")).toBe(`/recordings/${id}?retention=withdrawn#retention`);
    expect(await row(id)).toMatchObject({ status: "WITHDRAWN", withdrawnAt: expect.any(Date), wrappedKey: expect.any(String) });
    const [event] = await events("recording.withdrawn", id);
    expect(JSON.parse(event?.data ?? "{}")).toMatchObject({ size: file.length, from: "READY" });
    expect(await purge(new Date())).toEqual({ ...NOTHING, purged: 1, blobsDeleted: 1 });
    expect(await row(id)).toMatchObject({ status: "PURGED", wrappedKey: null });
    expect(JSON.parse((await events("recording.purged", id))[0]?.data ?? "{}")).toMatchObject({ reason: "withdrawn" });
    // The upload is gone for good.
    expect(
      (await fetch(`${endpoint.base}${url}`, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0", Cookie: scene.cookie } })).status,
    ).toBe(410);
  });

  it("an upload that stopped half-way, and an incomplete blob no recording claims, are gone after the upload expiry", async () => {
    const scene = await traineeWithSession();
    const file = mediaFixture("video", 6);
    const { id, url } = await uploadRecording(endpoint.base, scene, file, { sendBytes: 2 * CHUNK + 100 });
    expect(await row(id)).toMatchObject({ status: "UPLOADING", receivedBytes: BigInt(2 * CHUNK) });
    const store = recordingStore();
    expect(await store.status(id)).toMatchObject({ state: "incomplete" });
    // An upload begun on the store whose row never came (e.g. the process died in between).
    const orphan = `orphan${Date.now()}`;
    await store.begin(orphan, new Uint8Array(24));

    expect(await purge(later(60 * 60 * 1000))).toEqual(NOTHING);
    expect(await store.status(id)).not.toBeNull();
    expect(await store.status(orphan)).not.toBeNull();

    const expiry = env().UPLOAD_EXPIRY_HOURS * 60 * 60 * 1000;
    expect(await purge(later(expiry + 60_000))).toEqual({ ...NOTHING, purged: 1, blobsDeleted: 1, abandonedBlobsDeleted: 1 });
    expect(await store.status(id)).toBeNull();
    expect(await store.status(orphan)).toBeNull();
    expect(existsSync(dir(id))).toBe(false);
    expect(await row(id)).toMatchObject({ status: "PURGED", wrappedKey: null, receivedBytes: BigInt(2 * CHUNK) });
    expect(JSON.parse((await events("recording.purged", id))[0]?.data ?? "{}")).toEqual({
      size: 2 * CHUNK,
      sha256: null,
      reason: "upload-expired",
    });
    // Resuming it now is refused.
    expect((await patchUpload(endpoint.base, url, scene.cookie, 2 * CHUNK, file.subarray(2 * CHUNK))).status).toBe(410);
  });

  it("running it again does nothing more", async () => {
    const scene = await traineeWithSession();
    const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("audio", 2));
    await retention(scene.cookie, id, { intent: "withdraw", confirm: "yes" });
    expect((await purge(new Date())).purged).toBe(1);
    const after = await row(id);
    const audit = await getDb().auditEvent.count();
    expect(await purge(new Date())).toEqual(NOTHING);
    expect(await purge(later(3650 * DAY))).toEqual(NOTHING);
    expect(await row(id)).toEqual(after);
    expect(await getDb().auditEvent.count()).toBe(audit);
  });

  it("two runs at once (two instances, two database clients) purge each recording exactly once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const scene = await traineeWithSession();
      const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("audio", 2));
      await retention(scene.cookie, id, { intent: "withdraw", confirm: "yes" });
      ids.push(id);
    }
    const [a, b] = [createPrisma(env().DATABASE_URL), createPrisma(env().DATABASE_URL)];
    try {
      const [one, two] = await Promise.all([purge(new Date(), a), purge(new Date(), b)]);
      expect(one.purged + two.purged).toBe(4);
      expect(one.failed + two.failed).toBe(0);
    } finally {
      await Promise.all([a.$disconnect(), b.$disconnect()]);
    }
    for (const id of ids) {
      expect(await events("recording.purged", id), id).toHaveLength(1);
      expect(await row(id)).toMatchObject({ status: "PURGED", wrappedKey: null });
      expect(existsSync(dir(id))).toBe(false);
    }
  });
});

describe("the retention route", () => {
  it("refuses a withdrawal without the confirmation, and a hold without a reason, changing nothing", async () => {
    const scene = await traineeWithSession();
    const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("audio", 2));
    const before = await row(id);
    const unconfirmed = await retention(scene.cookie, id, { intent: "withdraw" });
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.get("Location")).toBe(`/recordings/${id}?retention-error=confirm-required#retention`);
    const admin = await cookieFor((await makeUser(["ADMIN"])).id);
    expect((await retention(admin, id, { intent: "hold", reason: "   " })).headers.get("Location")).toContain(
      "retention-error=reason-required",
    );
    expect((await retention(admin, id, { intent: "hold" })).headers.get("Location")).toContain("retention-error=reason-required");
    expect((await retention(admin, id, { intent: "hold", reason: "x".repeat(501) })).headers.get("Location")).toContain(
      "retention-error=reason-too-long",
    );
    expect((await retention(admin, id, { intent: "release" })).headers.get("Location")).toContain("retention-error=not-held");
    for (const intent of ["shred", "constructor", "__proto__"]) {
      expect((await retention(admin, id, { intent })).headers.get("Location"), intent).toContain("retention-error=unknown-intent");
    }
    expect(await row(id)).toEqual(before);
    expect(await getDb().auditEvent.count({ where: { subjectId: id, type: { startsWith: "recording.h" } } })).toBe(0);
  });

  it("says why when the recording can no longer be withdrawn or held", async () => {
    const scene = await traineeWithSession();
    const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("audio", 2));
    const admin = await cookieFor((await makeUser(["ADMIN"])).id);
    await retention(admin, id, { intent: "hold", reason: "Court order" });
    expect((await retention(admin, id, { intent: "hold", reason: "Again" })).headers.get("Location")).toContain(
      "retention-error=already-held",
    );
    await retention(admin, id, { intent: "release" });
    await retention(scene.cookie, id, { intent: "withdraw", confirm: "yes" });
    expect((await retention(scene.cookie, id, { intent: "withdraw", confirm: "yes" })).headers.get("Location")).toContain(
      "retention-error=not-withdrawable",
    );
    await purge(new Date());
    expect((await retention(admin, id, { intent: "hold", reason: "Too late" })).headers.get("Location")).toContain(
      "retention-error=purged",
    );
    expect(await events("recording.withdrawn", id)).toHaveLength(1);
  });
});

describe("the purge timer", () => {
  it("runs on its interval, logs a failing run as one JSON line and goes on, and stop waits for the run in progress", async () => {
    const logged: string[] = [];
    let runs = 0;
    let finished = 0;
    const schedule = schedulePurge({
      intervalMs: 20,
      log: (l) => logged.push(l),
      run: async () => {
        runs++;
        if (runs === 1) throw new Error("database unreachable");
        await new Promise((r) => setTimeout(r, 30));
        finished++;
        return { ...NOTHING, purged: 1, blobsDeleted: 1 };
      },
    });
    await new Promise((r) => setTimeout(r, 150));
    await schedule.stop();
    const stoppedAt = runs;
    expect(runs).toBeGreaterThanOrEqual(2);
    // The run in progress when stop was called had finished by the time stop returned.
    expect(finished).toBe(runs - 1);
    const [failure, ...rest] = logged.map((l) => JSON.parse(l));
    expect(failure).toMatchObject({ level: "error", msg: "purge failed", error: expect.stringContaining("database unreachable") });
    expect(rest[0]).toMatchObject({ level: "info", msg: "purge", purged: 1 });
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(stoppedAt);
  });

  it("the server's timer starts once (PURGE_INTERVAL_MINUTES, default 60) and can be started again after it stopped", async () => {
    expect(env().PURGE_INTERVAL_MINUTES).toBe(60);
    expect(startPurgeTimer()).toBe(true);
    expect(startPurgeTimer()).toBe(false);
    await stopPurgeTimer();
    expect(startPurgeTimer()).toBe(true);
    await stopPurgeTimer();
  });
});

describe("npm run purge", () => {
  const run = (extra: Record<string, string> = {}) => {
    const r = spawnSync("node_modules/.bin/tsx", ["scripts/purge.ts"], { encoding: "utf8", env: { ...process.env, ...extra } });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it("purges what is due and prints the counts; exit 1 when it cannot run", async () => {
    const scene = await traineeWithSession();
    const { id } = await uploadRecording(endpoint.base, scene, mediaFixture("audio", 2));
    await retention(scene.cookie, id, { intent: "withdraw", confirm: "yes" });
    const r = run();
    expect(r.out).toMatch(/purge: 1 purged \(1 deleted\), 0 left-over and 0 abandoned uploads deleted, 0 held, 0 failed\./);
    expect(r.status).toBe(0);
    expect(await row(id)).toMatchObject({ status: "PURGED", wrappedKey: null });
    expect(existsSync(dir(id))).toBe(false);
    const broken = run({ RECORDING_STORE: "nowhere" });
    expect(broken.status).toBe(1);
    expect(broken.out).toMatch(/RECORDING_STORE/);
  });
});
