import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { baseUrl, browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";
import { pdfQrCode, pdfText } from "../support/pdf";

const browser = browserPerFile();

describe("certificates in the browser", () => {
  let code = "";

  it("an admin certifies a trainee who meets every step; the holder downloads the PDF: its text holds the code, its QR code the verify URL", async () => {
    const { page: admin, problems: adminProblems } = await newPage(browser());
    await signIn(admin, "admin@attune.test", PASSWORD);
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Certification" }).click();
    await admin.waitForURL(/\/admin\/certificates$/);
    await admin.getByRole("link", { name: "Certification queue" }).click();
    await admin.getByRole("link", { name: "Casey Candidate" }).click();
    await admin.getByRole("heading", { level: 1, name: "Certify Casey Candidate" }).waitFor();
    expect(await admin.getByTestId("evaluation").textContent()).toBe("Every step is met");
    // The evidence behind each step is on the page.
    await admin.getByRole("heading", { name: /Two concurrent supervised cases/ }).waitFor();
    await admin.getByRole("button", { name: "Issue certificate" }).click();
    await admin.getByText("Certificate issued. The holder has been told.").waitFor();
    code = ((await admin.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Certificate ", "");
    expect(code).toMatch(/^ATN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(await admin.getByTestId("certificate-status").textContent()).toBe("Valid");

    const { page: holder, problems } = await newPage(browser());
    await signIn(holder, "candidate@attune.test", PASSWORD);
    await holder.getByText("Your DIT Practitioner certificate has been issued.").waitFor();
    await holder.getByRole("link", { name: `See certificate ${code}` }).click();
    await holder.getByRole("heading", { level: 1, name: `Certificate ${code}` }).waitFor();
    const download = holder.waitForEvent("download");
    await holder.getByRole("link", { name: "Download the certificate (PDF)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`certificate-${code}.pdf`);
    const pdf = readFileSync(await file.path());
    const text = pdfText(pdf);
    expect(text).toContain(code);
    expect(text).toContain("Casey Candidate");
    expect(text).toContain("DIT Practitioner");
    // No APP_URL on the e2e server: links are built from http://localhost:<port>.
    expect(pdfQrCode(pdf)).toBe(`http://localhost:${new URL(baseUrl()).port}/verify/${code}`);

    // The holder lists it on the public register.
    await holder.getByRole("button", { name: "List me on the public register" }).click();
    await holder.getByText("Your certificate is now listed on the public register.").waitFor();

    // Nobody else gets the page or the PDF.
    const { page: other } = await newPage(browser());
    await signIn(other, "trainee3@attune.test", PASSWORD);
    await other.getByRole("button", { name: "Sign out" }).waitFor();
    // (The PDF is a download, not a page: asked for with the page's cookies, as a link would.)
    expect((await other.request.get(`/certificates/${code}/pdf`)).status()).toBe(404);
    expect((await other.goto(`/certificates/${code}`))?.status()).toBe(404);
    expect(problems).toEqual([]);
    expect(adminProblems).toEqual([]);
  });

  it("an admin suspends it with a reason and reinstates it; the holder sees the notices and logs CPD", async () => {
    expect(code).not.toBe("");
    const { page: admin } = await newPage(browser());
    await signIn(admin, "admin@attune.test", PASSWORD);
    await admin.getByRole("button", { name: "Sign out" }).waitFor();
    await admin.goto(`/admin/certificates/${code}`);
    await admin.getByRole("button", { name: "Suspend certificate" }).click();
    // No reason: refused, with the message by the field.
    await admin.locator("#suspend-reason-error").waitFor();
    await admin.getByLabel("Reason for the suspension").fill("Complaint under investigation by the registering body");
    await admin.getByRole("button", { name: "Suspend certificate" }).click();
    await admin.getByText(/Certificate suspended\./).waitFor();
    expect(await admin.getByTestId("certificate-status").textContent()).toBe(
      "Suspended — Complaint under investigation by the registering body",
    );
    await admin.getByRole("button", { name: "Reinstate certificate" }).click();
    await admin.getByText(/Certificate reinstated\./).waitFor();
    const history = admin.getByRole("table", { name: "Every event, oldest first" });
    expect(await history.getByRole("row").count()).toBe(4);

    const { page: holder } = await newPage(browser());
    await signIn(holder, "candidate@attune.test", PASSWORD);
    await holder.getByText("Your DIT Practitioner certificate has been suspended.").waitFor();
    await holder.getByText("Your DIT Practitioner certificate has been reinstated.").waitFor();
    await holder.getByRole("button", { name: "Dismiss: Your DIT Practitioner certificate has been suspended." }).click();
    await holder.getByText("Your DIT Practitioner certificate has been reinstated.").waitFor();
    expect(await holder.getByText("Your DIT Practitioner certificate has been suspended.").count()).toBe(0);

    await holder.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Certificates" }).click();
    await holder.getByRole("link", { name: "Your CPD log" }).click();
    await holder.getByLabel("Date").fill(new Date().toISOString().slice(0, 10));
    await holder.getByLabel("Hours").fill("2.5");
    await holder.getByLabel("Kind").selectOption("CLINICAL");
    await holder.getByLabel("What you did").fill("DIT skills workshop");
    await holder.getByRole("button", { name: "Save CPD entry" }).click();
    await holder.getByText("CPD entry saved.").waitFor();
    expect(await holder.getByTestId("cpd-progress").textContent()).toMatch(/^2\.5 hours logged since your certificate ATN-/);
  });
});
