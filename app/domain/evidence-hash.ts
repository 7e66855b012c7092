import { createHash } from "node:crypto";

/**
 * Hashes of evidence rows (quiz attempts, module completions, cases, supervision
 * entries, case-study marks) for the pathway checklist and certificate
 * snapshots: SHA-256 over a canonical JSON of the row's evidential fields, so
 * the same facts always give the same hash and any change to one of them gives
 * another. Pure.
 *
 * Canonical JSON here: object keys sorted (by UTF-16 code unit, as
 * `Array.prototype.sort` does), no whitespace, Dates as ISO-8601 UTC strings,
 * `undefined` object members dropped (as JSON.stringify does), numbers as
 * JSON.stringify writes them. Non-finite numbers, functions, symbols, bigints
 * and other objects (Map, Set, Buffer) are refused: evidence is plain data.
 */

export type Canonical = string | number | boolean | null | Date | readonly Canonical[] | { readonly [key: string]: Canonical | undefined };

export function canonicalJson(value: Canonical): string {
  if (value === null) return "null";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("canonicalJson: an invalid Date");
    return JSON.stringify(value.toISOString());
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: a non-finite number");
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new TypeError("canonicalJson: only plain objects, arrays, Dates and primitives");
      }
      const record = value as { readonly [key: string]: Canonical | undefined };
      const members = Object.keys(record)
        .sort()
        .filter((k) => record[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k] as Canonical)}`);
      return `{${members.join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}

/** SHA-256 (hex) of the canonical JSON of `fields`, tagged with the kind of evidence so two kinds never collide. */
export function evidenceHash(kind: string, fields: { readonly [key: string]: Canonical | undefined }): string {
  return createHash("sha256").update(canonicalJson({ kind, fields })).digest("hex");
}
