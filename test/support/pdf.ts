// Reading a PDF as a person would: its text (pdftotext) and its first page as an image (pdftoppm), with the QR code
// on it decoded (jsqr + pngjs). Needs poppler-utils (/usr/bin/pdftotext, /usr/bin/pdftoppm).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";

function inTemp<T>(pdf: Buffer, work: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-pdf-"));
  try {
    const file = path.join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    return work(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer): string {
  return inTemp(pdf, (file) => execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" }));
}

/** The page count pdfinfo would give, from pdftoppm's output. */
export function pdfPages(pdf: Buffer): number {
  return inTemp(pdf, (file, dir) => {
    execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "30", file, path.join(dir, "page")]);
    return readdirSync(dir).filter((f) => f.endsWith(".png")).length;
  });
}

/** The text of the QR code on the first page, or null when none is found. */
export function pdfQrCode(pdf: Buffer): string | null {
  return inTemp(pdf, (file, dir) => {
    execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", file, path.join(dir, "page")]);
    const png = PNG.sync.read(readFileSync(path.join(dir, "page.png")));
    const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
    return found?.data ?? null;
  });
}

export async function streamToBuffer(stream: NodeJS.ReadableStream | ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
