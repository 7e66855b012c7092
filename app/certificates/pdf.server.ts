import type { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { PUBLIC_STATUS_LABELS, type PublicStatus } from "#app/domain/certificate-rules";

/**
 * The certificate as a PDF (A4 landscape): holder, credential, home
 * registration, dates, code, and a QR code of the public verification page.
 * pdfkit writes the document as a stream; the route pipes it to the response
 * without holding the whole file. The PDF is a picture of the certificate:
 * what counts is the verification page it points at, so a PDF of a certificate
 * that is no longer valid says so.
 */
export type PdfInput = {
  holderName: string;
  registrationBody: string | null;
  registrationNumber: string | null;
  credential: string;
  issuer: string;
  issuedAt: Date;
  expiresAt: Date | null;
  code: string;
  /** Absolute, from the app's base URL. */
  verifyUrl: string;
  status: PublicStatus;
};

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

const INK = "#1f2a44";
const MUTED = "#4a5568";
const ACCENT = "#2b6cb0";

/** A readable stream of the PDF's bytes. */
export async function certificatePdf(input: PdfInput): Promise<Readable> {
  // Error correction M: readable when printed small or a little damaged.
  const qr = await QRCode.toBuffer(input.verifyUrl, { type: "png", errorCorrectionLevel: "M", margin: 2, scale: 8 });
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 56,
    info: { Title: `${input.credential} — ${input.holderName}`, Author: input.issuer, Subject: `Certificate ${input.code}` },
  });
  const width = doc.page.width - 112;

  doc
    .rect(28, 28, doc.page.width - 56, doc.page.height - 56)
    .lineWidth(2)
    .strokeColor(ACCENT)
    .stroke();
  doc.fillColor(MUTED).font("Helvetica").fontSize(14).text(input.issuer, 56, 70, { width, align: "center" });
  doc.moveDown(1.2);
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(30).text("Certificate", { width, align: "center" });
  doc.moveDown(0.8);
  doc.fillColor(MUTED).font("Helvetica").fontSize(13).text("This certifies that", { width, align: "center" });
  doc.moveDown(0.5);
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(26).text(input.holderName, { width, align: "center" });
  if (input.registrationBody && input.registrationNumber) {
    doc.moveDown(0.3);
    doc.fillColor(MUTED).font("Helvetica").fontSize(12).text(`${input.registrationBody} registration ${input.registrationNumber}`, {
      width,
      align: "center",
    });
  }
  doc.moveDown(0.8);
  doc.fillColor(MUTED).font("Helvetica").fontSize(13).text("has met every requirement of the pathway to", { width, align: "center" });
  doc.moveDown(0.4);
  doc.fillColor(ACCENT).font("Helvetica-Bold").fontSize(22).text(input.credential, { width, align: "center" });

  const top = doc.page.height - 210;
  const left = 72;
  doc.fillColor(INK).font("Helvetica").fontSize(12);
  doc.text(`Issued: ${dateFmt.format(input.issuedAt)}`, left, top);
  doc.text(`Expires: ${input.expiresAt ? dateFmt.format(input.expiresAt) : "does not expire"}`, left, top + 20);
  doc.font("Helvetica-Bold").text(`Verification code: ${input.code}`, left, top + 48);
  doc
    .font("Helvetica")
    .fillColor(MUTED)
    .fontSize(10)
    .text(`Check this certificate at ${input.verifyUrl}`, left, top + 70, {
      width: width - 200,
      link: input.verifyUrl,
    });
  if (input.status !== "valid") {
    doc
      .fillColor("#9b2c2c")
      .font("Helvetica-Bold")
      .fontSize(12)
      .text(`Status when this copy was made: ${PUBLIC_STATUS_LABELS[input.status]}`, left, top + 100);
  }
  const qrSize = 140;
  doc.image(qr, doc.page.width - 72 - qrSize, top - 20, { width: qrSize, height: qrSize });
  doc.end();
  return doc;
}
