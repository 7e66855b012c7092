// Small documents for case-study tests: a PDF, a DOCX and an ODT (stored ZIP archives with the parts their types
// are recognised by), plain text, and things that are not documents. Each carries a marker that must never appear
// in the encrypted store.
import { crc32 } from "node:zlib";

export const DOCUMENT_MARKER = "CASE-STUDY-PLAINTEXT-MARKER";

/** A ZIP archive of stored (uncompressed) entries, in order. */
export function zip(entries: [name: string, content: string][]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const n = Buffer.from(name);
    const data = Buffer.from(content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    parts.push(local, n, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(n.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, n);
    offset += 30 + n.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** A PDF of about `size` bytes (padded with a comment), with the marker in its text. */
export function pdf(size = 40_000): Buffer {
  const head = `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${DOCUMENT_MARKER}\n`;
  const tail = "\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  return Buffer.from(head + "%".padEnd(Math.max(0, size - head.length - tail.length), "x") + tail);
}

export function docx(): Buffer {
  return zip([
    [
      "[Content_Types].xml",
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    ["word/document.xml", `<w:document><w:body><w:p><w:r><w:t>${DOCUMENT_MARKER}</w:t></w:r></w:p></w:body></w:document>`],
  ]);
}

export function odt(): Buffer {
  return zip([
    ["mimetype", "application/vnd.oasis.opendocument.text"],
    ["content.xml", `<office:document-content><office:text>${DOCUMENT_MARKER}</office:text></office:document-content>`],
  ]);
}

export function text(): Buffer {
  return Buffer.from(`A case study in plain text. ${DOCUMENT_MARKER}\nSecond line, with an é and a tab\there.\n`, "utf8");
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 1×1 PNG image: a real type, but not a document. */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  pngChunk("IHDR", Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])),
  pngChunk("IDAT", Buffer.from([0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1])),
  pngChunk("IEND", Buffer.alloc(0)),
]);

/** Bytes no sniffer knows, with control characters: not text either. */
export const BINARY = Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00, 0x10, 0x11, 0x7f, 0x00, 0x41, 0x42]);
