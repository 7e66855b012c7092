// A recording uploaded through the real tus endpoint plays in Chromium from its page, under our CSP (media-src 'self'),
// with the browser's range requests answered 206; the case page lists it and links to it.
//
// The shared e2e server runs without RECORDING_MASTER_KEYS (test/setup/e2e-server.ts), so this file starts a server
// of its own, with a test master key, on a seeded SQLite database of its own. It is about the browser (CSP, codecs,
// ranges), not the database, so it runs in the SQLite lane only.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrisma } from "#app/db.server";
import { browserPerFile, PASSWORD } from "../support/browser";
import { mediaFixture } from "../support/media";
import { freshSqliteDatabase, portOf, signInOverHttp, startServer } from "../support/server-process";
import { flipStoredByte } from "../support/stored-chunks";

const browser = browserPerFile();
const sqliteLane = inject("e2eDatabaseUrl").startsWith("file:");

let base = "";
let stop: () => Promise<void> = async () => {};
let dbUrl = "";
let recordingsDir = "";
const CHUNK = 16384;

beforeAll(async () => {
  if (!sqliteLane) return;
  const db = freshSqliteDatabase({ seed: true, password: PASSWORD });
  const recordings = mkdtempSync(path.join(tmpdir(), "attune-e2e-recordings-"));
  recordingsDir = recordings;
  const server = startServer({
    DATABASE_URL: db.url,
    LOG_REQUESTS: "false",
    SMTP_URL: "",
    APP_URL: "",
    RECORDING_MASTER_KEYS: `e2e-key:${Buffer.alloc(32, 9).toString("base64")}`,
    RECORDINGS_DIR: recordings,
    RECORDING_CHUNK_BYTES: String(CHUNK),
  });
  base = `http://127.0.0.1:${await portOf(server.output)}`;
  dbUrl = db.url;
  stop = async () => {
    server.child.kill("SIGTERM");
    await server.exit;
    db.cleanup();
    rmSync(recordings, { recursive: true, force: true });
  };
}, 60_000);
afterAll(() => stop());

/** The id of session `number` of the demo case C-0417 (read from this file's server's database). */
async function demoSessionId(number: number): Promise<string> {
  const db = createPrisma(dbUrl);
  try {
    const s = await db.caseSession.findFirstOrThrow({ where: { number, case: { clientCode: "C-0417" } }, select: { id: true } });
    return s.id;
  } finally {
    await db.$disconnect();
  }
}

describe("playback in the browser", () => {
  it.skipIf(!sqliteLane)(
    "the trainee uploads a session recording, finds it on the case page and plays it; seeking asks for ranges",
    async () => {
      const context = await browser().newContext({ baseURL: base });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      });
      await page.goto("/login");
      await page.getByLabel("Email address").fill("trainee@attune.test");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("button", { name: "Sign out" }).waitFor();
      const sessionId = await demoSessionId(2);
      const file = mediaFixture("video", 6);
      // The upload, as the upload form's tus client would send it (same origin, the session cookie).
      const status = await page.evaluate(
        async ({ base64, target }) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const tus = { "Tus-Resumable": "1.0.0" };
          const created = await fetch("/uploads", {
            method: "POST",
            headers: { ...tus, "Upload-Length": String(bytes.length), "Upload-Metadata": `target ${btoa(target)}` },
          });
          const url = created.headers.get("Location") ?? "";
          const done = await fetch(url, {
            method: "PATCH",
            headers: { ...tus, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
            body: bytes,
          });
          return [created.status, done.status];
        },
        { base64: file.toString("base64"), target: `session:${sessionId}` },
      );
      expect(status).toEqual([201, 204]);

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cases" }).click();
      await page.getByRole("link", { name: "C-0417" }).click();
      const list = page.getByTestId("recording-list");
      await list.waitFor();
      expect(await list.textContent()).toMatch(/Session 2, uploaded \d{4}-\d\d-\d\d: Ready to play, 0:06/);

      const media: number[] = [];
      page.on("response", (r) => {
        if (/\/recordings\/[^/]+\/media\?g=/.test(r.url())) media.push(r.status());
      });
      await list.getByRole("link", { name: /Session 2/ }).click();
      await page.getByRole("heading", { level: 1, name: "Recording of case C-0417, session 2" }).waitFor();
      const video = page.locator("video");
      expect(await video.getAttribute("controlslist")).toBe("nodownload");
      expect(await video.getAttribute("preload")).toBe("metadata");
      expect(await page.locator("a[download]").count()).toBe(0);

      const played = await video.evaluate(async (el) => {
        const v = el as HTMLVideoElement;
        const until = (event: string) =>
          new Promise<void>((resolve, reject) => {
            v.addEventListener(event, () => resolve(), { once: true });
            v.addEventListener("error", () => reject(new Error(`media error ${v.error?.code}: ${v.error?.message}`)), { once: true });
          });
        if (v.readyState < 1) await until("loadedmetadata");
        v.muted = true;
        await v.play();
        while (v.currentTime < 0.5) await new Promise((r) => setTimeout(r, 50));
        v.pause();
        const seeked = until("seeked");
        v.currentTime = 4.5;
        await seeked;
        return { duration: v.duration, width: v.videoWidth, time: v.currentTime };
      });
      expect(played.duration).toBeGreaterThan(5.5);
      expect(played.width).toBe(160);
      expect(played.time).toBeGreaterThan(4);
      expect(media.length).toBeGreaterThan(0);
      expect(
        media.every((s) => s === 200 || s === 206),
        String(media),
      ).toBe(true);
      expect(media).toContain(206);
      // No CSP violation, no failed load.
      expect(problems).toEqual([]);
      await context.close();
    },
  );
});

describe("damaged recordings over real HTTP", () => {
  it.skipIf(!sqliteLane)("a flipped byte: ranges before it play, a range starting in it is a 500, a whole read breaks off", async () => {
    const cookie = await signInOverHttp(base, "trainee@attune.test", PASSWORD);
    const file = mediaFixture("video", 6);
    const tus = { "Tus-Resumable": "1.0.0", Cookie: cookie, Origin: base };
    const target = `session:${await demoSessionId(3)}`;
    const created = await fetch(`${base}/uploads`, {
      method: "POST",
      headers: { ...tus, "Upload-Length": String(file.length), "Upload-Metadata": `target ${Buffer.from(target).toString("base64")}` },
    });
    expect(created.status).toBe(201);
    const upload = created.headers.get("Location") as string;
    const patched = await fetch(`${base}${upload}`, {
      method: "PATCH",
      headers: { ...tus, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
      body: new Blob([Uint8Array.from(file)]),
    });
    expect(patched.status).toBe(204);
    const db = createPrisma(dbUrl);
    const recordingId = (await db.recording.findFirstOrThrow({ where: { uploadId: upload.split("/").pop() } })).id;
    await db.$disconnect();

    const html = await (await fetch(`${base}/recordings/${recordingId}`, { headers: { Cookie: cookie } })).text();
    const src = /<video[^>]* src="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(src).toMatch(/^\/recordings\/[^/]+\/media\?g=[A-Za-z0-9_-]{43}$/);
    const get = (range?: string) => fetch(`${base}${src}`, { headers: { Cookie: cookie, ...(range ? { Range: range } : {}) } });

    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe(String(file.length));
    expect(whole.headers.get("cache-control")).toMatch(/no-store/);
    expect(whole.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await whole.arrayBuffer()).equals(file)).toBe(true);

    flipStoredByte(path.join(recordingsDir, recordingId), 2, 100, 0x80);

    const early = await get(`bytes=0-${2 * CHUNK - 1}`);
    expect(early.status).toBe(206);
    expect(Buffer.from(await early.arrayBuffer()).equals(file.subarray(0, 2 * CHUNK))).toBe(true);
    const inside = await get(`bytes=${2 * CHUNK + 5}-`);
    expect(inside.status).toBe(500);
    expect(((await inside.json()) as { error: string }).error).toMatch(/could not be read intact/);
    // The whole file: the status and the first two chunks are sent, then the transfer breaks off.
    const broken = await get();
    expect(broken.status).toBe(200);
    const reader = (broken.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    const failure = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return null;
          received += value.length;
        }
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(Error);
    expect(received).toBeLessThanOrEqual(2 * CHUNK);
  });
});
