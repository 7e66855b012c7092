// Verification in Chromium: a visitor finds the demo practitioner on the public register and checks the code (with
// and without JavaScript); an accreditor sees them on their body's dashboard and verifies a CSV in bulk (upload,
// download); an administrator revokes the certificate and every verification route says "revoked" — the page, the
// JSON API, the register, bulk verification and the revocation status list — while the signed credential itself
// stays as it was.
//
// This file takes the seeded practitioner's certificate (Priya Practitioner, BACP, on the register) and revokes it:
// no other e2e file uses it.
import { readFileSync } from "node:fs";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CsvReader } from "#app/domain/csv";
import { baseUrl, browserPerFile, newPage, PASSWORD, signIn } from "../support/browser";

const browser = browserPerFile();
const CODE = /^ATN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;
let code = "";

function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()].map((r) => r.cells);
}

/** Uploads a CSV on the bulk page and returns the downloaded answer's rows. */
async function verifyInBulk(page: Page, csv: string): Promise<string[][]> {
  await page.goto("/accreditor/bulk");
  await page.getByLabel("CSV file").setInputFiles({ name: "codes.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Verify and download the results" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("verification-results.csv");
  return parseCsv(readFileSync(await file.path(), "utf8"));
}

async function revocationBit(page: Page, index: number): Promise<boolean> {
  const list = await (await page.request.get("/api/v1/status-lists/revocation")).json();
  return (await decodeList({ encodedList: list.credentialSubject.encodedList })).getStatus(index);
}

describe("verification in the browser", () => {
  it("a visitor finds a practitioner on the public register and checks their code, with and without JavaScript", async () => {
    const { page, problems } = await newPage(browser());
    await page.goto("/register");
    await page.getByLabel("Name or registration number").fill("priya");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("1 practitioner matching “priya”").waitFor();
    const row = page.getByRole("row", { name: /Priya Practitioner/ });
    expect(await row.getByRole("cell").nth(1).textContent()).toBe("BACP MBACP 384512");
    code = ((await row.getByRole("link").textContent()) ?? "").trim();
    expect(code).toMatch(CODE);
    await row.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: `Certificate ${code}` }).waitFor();
    expect(await page.locator(".verdict__status").textContent()).toContain("Valid");
    await page.getByText("Priya Practitioner").waitFor();

    // The same check typed loosely into /verify, in a browser without JavaScript.
    const context = await browser().newContext({ baseURL: new URL(page.url()).origin, javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto("/verify");
    await plain.getByLabel("Certificate code").fill(code.toLowerCase().replace(/-/g, " "));
    await plain.getByRole("button", { name: "Check" }).click();
    await plain.waitForURL(new RegExp(`/verify/${code}$`));
    expect(await plain.locator(".verdict__status").textContent()).toContain("Valid");
    await plain.goto("/verify?code=not+a+code");
    await plain.getByRole("alert").getByText("That is not a certificate code.").waitFor();
    await plain.goto("/verify/ATN-2222-2222");
    expect(await plain.locator(".verdict__status").textContent()).toContain("Not found");
    await context.close();
    expect(problems).toEqual([]);
  });

  it("an accreditor sees the practitioner on their body's dashboard and verifies codes in bulk", async () => {
    expect(code).toMatch(CODE);
    const { page, problems } = await newPage(browser());
    await signIn(page, "accreditor@attune.test", PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accreditation" }).click();
    await page.getByRole("heading", { level: 1, name: "Practitioners registered with BACP" }).waitFor();
    await page.getByRole("row", { name: new RegExp(`Priya Practitioner.*${code}`) }).waitFor();
    // The revoked demo certificate's holder is registered with UKCP: not this body's.
    expect(await page.getByText("Rhys Revoked").count()).toBe(0);

    await page.getByRole("link", { name: "Verify a list of certificates" }).click();
    await page.getByRole("heading", { level: 1, name: "Verify certificates in bulk" }).waitFor();
    const rows = await verifyInBulk(page, `code\n${code.toLowerCase()}\nATN-2222-2222\nnot a code\n`);
    expect(rows[0]?.slice(0, 5)).toEqual(["line", "input_code", "input_name", "input_registration_number", "status"]);
    expect(rows.slice(1).map((r) => [r[0], r[4], r[5]])).toEqual([
      ["2", "valid", code],
      ["3", "unknown", ""],
      ["4", "invalid", ""],
    ]);
    expect(rows[1]?.[6]).toBe("Priya Practitioner");

    // A file without a usable header goes back to the form with the reason.
    await page.getByLabel("CSV file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("who,what\nx,y\n") });
    await page.getByRole("button", { name: "Verify and download the results" }).click();
    await page.waitForURL(/\/accreditor\/bulk\?error=columns$/);
    await page
      .getByRole("alert")
      .getByText(/The first row must name the columns/)
      .waitFor();
    expect(problems).toEqual([]);
  });

  it("revoking the certificate flips every verification route to revoked; the credential itself does not change", async () => {
    expect(code).toMatch(CODE);
    const { page: visitor } = await newPage(browser());
    await visitor.goto("/verify");
    const credentialBefore = await (await visitor.request.get(`/api/v1/certificates/${code}/credential.json`)).text();
    const jwtBefore = await (await visitor.request.get(`/api/v1/certificates/${code}/credential`)).text();
    const index = Number(
      (JSON.parse(credentialBefore).credentialStatus as { statusPurpose: string; statusListIndex: string }[]).find(
        (s) => s.statusPurpose === "revocation",
      )?.statusListIndex,
    );
    expect(await revocationBit(visitor, index)).toBe(false);
    expect((await (await visitor.request.get(`/api/v1/certificates/${code}`)).json()).status).toBe("valid");

    const { page: admin, problems } = await newPage(browser());
    await signIn(admin, "admin@attune.test", PASSWORD);
    await admin.getByRole("button", { name: "Sign out" }).waitFor();
    await admin.goto(`/admin/certificates/${code}`);
    await admin.getByLabel("Reason for the revocation").fill("Removed from the register of their professional body");
    await admin.getByLabel("I understand that revocation is final").check();
    await admin.getByRole("button", { name: "Revoke certificate" }).click();
    await admin.getByText(/Certificate revoked\./).waitFor();

    // The page.
    await visitor.goto(`/verify/${code}`);
    expect(await visitor.locator(".verdict__status").textContent()).toContain("Revoked");
    // No reason is ever shown to the public.
    expect(await visitor.getByText("Removed from the register").count()).toBe(0);
    // The JSON API.
    const json = await (await visitor.request.get(`/api/v1/certificates/${code}`)).json();
    expect(json.status).toBe("revoked");
    // The status list, while the credential is byte for byte the same.
    expect(await revocationBit(visitor, index)).toBe(true);
    expect(await (await visitor.request.get(`/api/v1/certificates/${code}/credential.json`)).text()).toBe(credentialBefore);
    expect(await (await visitor.request.get(`/api/v1/certificates/${code}/credential`)).text()).toBe(jwtBefore);
    // The register no longer lists them.
    await visitor.goto("/register?q=priya");
    await visitor.getByText("Nobody on the register matches “priya”.").waitFor();
    // Bulk verification.
    const { page: accreditor } = await newPage(browser());
    await signIn(accreditor, "accreditor@attune.test", PASSWORD);
    await accreditor.getByRole("button", { name: "Sign out" }).waitFor();
    const rows = await verifyInBulk(accreditor, `${code}\n`);
    expect(rows.slice(1).map((r) => [r[4], r[5]])).toEqual([["revoked", code]]);
    expect(problems).toEqual([]);
  });

  it("the API over HTTP: GET and HEAD answered, every other method 405 JSON with Allow, the OpenAPI document served", async () => {
    const api = `${baseUrl()}/api/v1/certificates/${code}`;
    const head = await fetch(api, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("cache-control")).toBe("no-store");
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
      const out = await fetch(api, { method });
      expect(out.status, method).toBe(405);
      expect(out.headers.get("allow"), method).toBe("GET, HEAD");
      expect(await out.json(), method).toEqual({ error: `Method ${method} is not allowed here; use GET.` });
    }
    const doc = await fetch(`${baseUrl()}/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
    expect((await doc.json()).openapi).toBe("3.1.0");
    const unknown = await fetch(`${baseUrl()}/api/v1/certificates/ATN-2222-2222`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
  });
});
