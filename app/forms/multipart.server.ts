import { unstable_parseMultipartFormData } from "@remix-run/node";

/**
 * Reads a multipart/form-data body as it streams: each file part goes to `onFile` (which streams it somewhere,
 * e.g. into the encrypted store, and returns the value to keep for that field), text fields are kept up to a
 * small size. Nothing is buffered whole. Throws a 4xx Response (JSON {error}) for a body that is not multipart or
 * cannot be parsed, or a text field that is too long; errors thrown by `onFile` come through as they are, for
 * the caller to turn into field errors.
 */
export type FilePart = { name: string; filename: string; contentType: string; data: AsyncIterable<Uint8Array> };

function refuse(status: 400 | 413 | 415, error: string): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

export function isMultipart(request: Request): boolean {
  return (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() === "multipart/form-data";
}

async function drain(data: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of data) {
    // discarded: the parser needs each part read to the end before it moves on
  }
}

class FieldTooLong extends Error {}

async function readField(data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new FieldTooLong();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function parseMultipart(
  request: Request,
  onFile: (part: FilePart) => Promise<string | undefined>,
  { maxFieldBytes = 16 * 1024, maxParts = 20 }: { maxFieldBytes?: number; maxParts?: number } = {},
): Promise<FormData> {
  if (!isMultipart(request)) throw refuse(415, "Send this form as multipart/form-data.");
  let parts = 0;
  let fromHandler: unknown = null;
  try {
    return await unstable_parseMultipartFormData(request, async (part) => {
      parts += 1;
      if (parts > maxParts) throw refuse(413, "That form has too many fields.");
      if (part.filename === undefined) return readField(part.data, maxFieldBytes);
      // A file input left empty still sends a part, with no name and no bytes.
      if (part.filename === "") {
        await drain(part.data);
        return undefined;
      }
      let value: string | undefined;
      try {
        value = await onFile({ name: part.name, filename: part.filename, contentType: part.contentType, data: part.data });
      } catch (error) {
        fromHandler = error;
        throw error;
      }
      await drain(part.data);
      return value;
    });
  } catch (error) {
    if (error === fromHandler) throw error;
    if (error instanceof FieldTooLong) throw refuse(413, "A field of that form is too long.");
    if (error instanceof Response) throw error;
    // The parser's own errors (a broken boundary, a body cut short) are the client's: 400, never a 500.
    if (error instanceof TypeError || (error instanceof Error && /multipart|malformed|boundary|end of stream/i.test(error.message))) {
      throw refuse(400, "The form could not be read. Please go back and try again.");
    }
    throw error;
  }
}
