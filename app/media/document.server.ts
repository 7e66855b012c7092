/**
 * What an uploaded document (a written case study) really is, from its content,
 * never its name or the browser's Content-Type: PDF, Word (DOCX), OpenDocument
 * text (ODT) or plain UTF-8 text. The plaintext is read as a stream (e.g. the
 * body of readRecording), so nothing is written to disk and nothing is held
 * whole in memory.
 */
import { fileTypeFromStream } from "file-type";
import { ACCEPTED_DOCUMENTS, DOCUMENT_TYPES, type DocumentType, formatSize } from "#app/domain/case-study-rules";

const BINARY: Record<string, DocumentType> = Object.fromEntries(DOCUMENT_TYPES.filter((t) => t.ext !== "txt").map((t) => [t.ext, t]));
const TEXT = DOCUMENT_TYPES.find((t) => t.ext === "txt") as DocumentType;

export type DocumentRejection = "empty" | "too-large" | "not-accepted" | "not-text";

/** A file refused as a case study; `message` is fit to show the person who uploaded it. */
export class DocumentRejected extends Error {
  override readonly name = "DocumentRejected";
  constructor(
    readonly code: DocumentRejection,
    message: string,
  ) {
    super(message);
  }
}

/** C0 controls other than tab, line feed, form feed and carriage return: a sign of a binary file, not text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/** Whether the whole stream is UTF-8 text without control characters (an optional BOM is fine). */
async function isPlainText(body: AsyncIterable<Uint8Array>): Promise<boolean> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of body) {
      if (CONTROL.test(decoder.decode(chunk, { stream: true }))) return false;
    }
    return !CONTROL.test(decoder.decode());
  } catch {
    return false;
  }
}

/**
 * The type of a document from its plaintext. `open` is called once or twice (a binary type is found from the first
 * bytes; text needs a second, whole pass). Throws DocumentRejected for anything else.
 */
export async function detectDocument(open: () => Promise<AsyncIterable<Uint8Array>>): Promise<DocumentType> {
  const head = (await open())[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        const next = await head.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    },
    // Read only when file-type asks: nothing is decrypted ahead of it.
    { highWaterMark: 0 },
  );
  let found: Awaited<ReturnType<typeof fileTypeFromStream>>;
  try {
    found = await fileTypeFromStream(stream);
  } finally {
    // file-type reads only as far as it needs: stop reading (and decrypting) the rest.
    await head.return?.(undefined).catch(() => undefined);
  }
  if (found) {
    const accepted = BINARY[found.ext];
    if (accepted) return accepted;
    throw new DocumentRejected("not-accepted", `This file is ${found.mime} (.${found.ext}); a case study must be ${ACCEPTED_DOCUMENTS}.`);
  }
  if (await isPlainText(await open())) return TEXT;
  throw new DocumentRejected("not-text", `This file is not a document we can read; a case study must be ${ACCEPTED_DOCUMENTS}.`);
}

/**
 * Passes `source` through, counting bytes, and fails with DocumentRejected("too-large") as soon as more than
 * `maxBytes` have arrived (so a large upload is stopped while it streams, never buffered).
 */
export async function* limitBytes(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > maxBytes) {
      throw new DocumentRejected("too-large", `This file is larger than ${formatSize(maxBytes)}, the largest case study accepted.`);
    }
    yield chunk;
  }
}
