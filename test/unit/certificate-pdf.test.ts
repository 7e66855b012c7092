import { describe, expect, it } from "vitest";
import { certificatePdf } from "#app/certificates/pdf.server";
import { pdfPages, pdfQrCode, pdfText, streamToBuffer } from "../support/pdf";

const INPUT = {
  holderName: "Noor Practitioner",
  registrationBody: "BACP",
  registrationNumber: "MBACP 123456",
  credential: "DIT Practitioner",
  issuer: "Attune DIT Training",
  issuedAt: new Date("2026-12-01T10:00:00Z"),
  expiresAt: new Date("2029-12-01T10:00:00Z"),
  code: "ATN-7K4Q-92XD",
  verifyUrl: "https://attune.example.org/verify/ATN-7K4Q-92XD",
  status: "valid" as const,
};

describe("the certificate PDF", () => {
  it("holds the name, credential, registration, dates and code on one page", async () => {
    const pdf = await streamToBuffer(await certificatePdf(INPUT));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdfText(pdf);
    for (const part of [
      "Noor Practitioner",
      "DIT Practitioner",
      "BACP registration MBACP 123456",
      "1 December 2026",
      "1 December 2029",
      "ATN-7K4Q-92XD",
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain("Status when this copy was made");
    expect(pdfPages(pdf)).toBe(1);
  });

  it("has a QR code of the verification URL", async () => {
    const pdf = await streamToBuffer(await certificatePdf(INPUT));
    expect(pdfQrCode(pdf)).toBe(INPUT.verifyUrl);
  });

  it("says when the certificate is not valid, and when it does not expire", async () => {
    const pdf = await streamToBuffer(await certificatePdf({ ...INPUT, status: "revoked", expiresAt: null }));
    const text = pdfText(pdf);
    expect(text).toContain("Status when this copy was made: Revoked");
    expect(text).toContain("does not expire");
  });
});
