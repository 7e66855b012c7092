/**
 * The Range request header (RFC 9110 §14), for serving a file of known size.
 * Pure: no I/O. Ranges here are END EXCLUSIVE, like app/storage's ByteRange.
 */

export type RangeRequest =
  /** No Range header, or several ranges (served whole, see below): answer 200 with the whole body. */
  | { kind: "whole" }
  /** One satisfiable range: answer 206 with exactly bytes [start, end). */
  | { kind: "partial"; start: number; end: number }
  /** Malformed, or nothing of it lies inside the file: answer 416 with `Content-Range: bytes *\/size`. */
  | { kind: "unsatisfiable" };

const PART = /^(\d*)-(\d*)$/;
const MAX_PARTS = 16;

type Part = { start: number; end: number } | "invalid" | "outside";

function parsePart(text: string, size: number): Part {
  const m = PART.exec(text.trim());
  if (!m) return "invalid";
  const [, first = "", last = ""] = m;
  if (first === "" && last === "") return "invalid";
  if (first.length > 15 || last.length > 15) return "invalid";
  if (first === "") {
    // bytes=-n: the last n bytes (all of them if n ≥ size); bytes=-0 asks for nothing.
    const n = Number(last);
    if (n === 0 || size === 0) return "outside";
    return { start: Math.max(0, size - n), end: size };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return "invalid";
  if (start >= size) return "outside";
  // A last position past the end means "to the end" (RFC 9110 §14.1.1).
  const end = last === "" ? size : Math.min(Number(last) + 1, size);
  return { start, end };
}

/**
 * What to serve for `header` against a body of `size` bytes.
 * - `bytes=a-b`, `bytes=a-`, `bytes=-n` → partial (b past the end is clamped).
 * - Several ranges (`bytes=0-1,5-6`), all well-formed and at least one satisfiable → whole: RFC 9110 lets a server
 *   ignore Range, and a 200 with the whole body is always a correct answer; media players ask for one range at a time,
 *   so multipart/byteranges is not worth its cost.
 * - Anything malformed (`bytes=5-2`, `bytes=x`, another unit, more than 16 parts) or wholly outside the file → unsatisfiable.
 *   (RFC 9110 §14.2 lets a server reject an invalid ranges-specifier; we do, so a broken client learns at once.)
 */
export function parseRangeHeader(header: string | null | undefined, size: number): RangeRequest {
  if (header === null || header === undefined) return { kind: "whole" };
  const eq = header.indexOf("=");
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== "bytes") return { kind: "unsatisfiable" };
  const parts = header.slice(eq + 1).split(",");
  if (parts.length > MAX_PARTS) return { kind: "unsatisfiable" };
  const parsed = parts.map((p) => parsePart(p, size));
  if (parsed.includes("invalid")) return { kind: "unsatisfiable" };
  const satisfiable = parsed.filter((p): p is { start: number; end: number } => typeof p === "object");
  if (satisfiable.length === 0) return { kind: "unsatisfiable" };
  if (parts.length > 1) return { kind: "whole" };
  const [only] = satisfiable as [{ start: number; end: number }];
  return { kind: "partial", start: only.start, end: only.end };
}

/** The Content-Range value of a 206 ([start, end) of size) — or of a 416 when `range` is null. */
export function contentRange(range: { start: number; end: number } | null, size: number): string {
  return range ? `bytes ${range.start}-${range.end - 1}/${size}` : `bytes */${size}`;
}
