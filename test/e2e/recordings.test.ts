import { describe, expect, it } from "vitest";
import { browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";
import { mediaFixture } from "../support/media";

const browser = browserPerFile();

/** The demo trainee's seeded case (consent recorded) and its first session's upload page. */
async function openUploadPage(page: import("playwright-core").Page) {
  await signIn(page, "trainee@attune.test", PASSWORD);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await page.goto("/cases");
  await page.getByRole("link", { name: "C-0417" }).click();
  await page.getByRole("heading", { level: 1, name: "Case C-0417" }).waitFor();
  await page.getByRole("link", { name: "Upload a recording of session 1" }).click();
  await page.getByRole("heading", { level: 1, name: /Upload a recording of session 1/ }).waitFor();
  await page.locator('.uploader[data-ready="true"]').waitFor();
}

describe("recordings in the browser", () => {
  it("a trainee uploads a recording through the real upload UI; the progress bar moves; a cut connection resumes", async () => {
    const { page, problems } = await newPage(browser());
    await openUploadPage(page);
    const file = mediaFixture("video", 5, "2M");
    expect(file.length).toBeGreaterThan(600_000);

    // Slow the upload down so that progress can be watched and the connection cut half-way.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 150 * 1024,
    });
    await page.getByLabel("Recording file").setInputFiles({ name: "session-one.mp4", mimeType: "video/mp4", buffer: file });
    const progress = page.locator("#upload-progress");
    await expect.poll(async () => Number(await progress.getAttribute("data-percent")), { timeout: 30_000 }).toBeGreaterThan(10);
    const before = Number(await progress.getAttribute("data-percent"));
    expect(before).toBeLessThan(100);

    // The connection drops, then comes back: tus retries from the server's offset.
    await cdp.send("Network.emulateNetworkConditions", { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.waitForTimeout(1500);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.getByText("Uploaded and checked.").waitFor({ timeout: 60_000 });
    expect(Number(await progress.getAttribute("data-percent"))).toBe(100);

    await page.getByRole("link", { name: "Back to the case" }).click();
    await page.getByRole("heading", { level: 1, name: "Case C-0417" }).waitFor();
    // Failed requests while offline are expected; nothing else may go wrong.
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|net::ERR|Failed to load resource/.test(p))).toEqual([]);
  });

  it("a renamed non-media file is refused with a clear message", async () => {
    const { page } = await newPage(browser());
    await openUploadPage(page);
    const text = Buffer.from("These are notes, not a recording. ".repeat(3000));
    await page.getByLabel("Recording file").setInputFiles({ name: "session-two.mp3", mimeType: "audio/mpeg", buffer: text });
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/not .*(audio|recording)|MP3, M4A/i);
    expect(await page.getByTestId("upload-status").textContent()).toBe("The upload stopped.");
  });
});
