import { normaliseCode } from "#app/domain/certificate-code";
import type { PublicStatus } from "#app/domain/certificate-rules";
import type { CsvRecord } from "#app/domain/csv";

/**
 * Bulk verification for accrediting bodies (docs/verification.md, ADR 0034): what an uploaded CSV means and what
 * each row of the answer says. Pure; app/verification/bulk.server.ts streams the file through it.
 *
 * The first row names the columns: `code`, or `name` and `registration_number` (both), or all three; a row with a
 * code is looked up by its code, one without by name and registration number. A file whose first cell is a code
 * has no header: one code per row, in the first column.
 */

/** The field of the upload form that holds the file. */
export const BULK_FILE_FIELD = "file";
export const BULK_MAX_ROWS = 10_000;
/** Rows looked up per database query. */
export const BULK_BATCH_SIZE = 500;
/** The largest upload read (10,000 rows of a few columns are well under 1 MiB). */
export const BULK_MAX_BYTES = 5 * 1024 * 1024;
/** The longest row read; a longer one is an error row. */
export const BULK_MAX_ROW_CHARS = 2048;

export type BulkColumns = { code?: number; name?: number; registrationNumber?: number };

/** Why a whole upload is refused (before any answer is sent); every other problem is a row of the answer. */
export const BULK_REFUSALS = {
  "not-multipart": "Upload the CSV file with the form (multipart/form-data).",
  "too-large": `The file is too large: at most ${BULK_MAX_BYTES / 1024 / 1024} MiB.`,
  "no-file": "Choose a CSV file to upload.",
  empty: "The file is empty.",
  unreadable: "The upload could not be read. Please try again.",
  columns: "The first row must name the columns: code, or name and registration_number (or start straight away with a certificate code).",
  "name-without-number":
    "The first row names a name column but no registration_number column: looking someone up without a code needs both.",
  "number-without-name":
    "The first row names a registration_number column but no name column: looking someone up without a code needs both.",
} as const;
export type BulkRefusalReason = keyof typeof BULK_REFUSALS;

export function isBulkRefusalReason(value: unknown): value is BulkRefusalReason {
  return typeof value === "string" && Object.hasOwn(BULK_REFUSALS, value);
}

export type BulkHeader =
  | { ok: true; columns: BulkColumns; headerless: boolean }
  | { ok: false; reason: "columns" | "name-without-number" | "number-without-name" };

const ALIASES: Record<keyof BulkColumns, readonly string[]> = {
  code: ["code", "certificate", "certificate_code", "verification_code", "certificate_number"],
  name: ["name", "full_name", "holder", "holder_name", "practitioner", "practitioner_name"],
  registrationNumber: ["registration_number", "registration_no", "registration", "reg_number", "reg_no", "registration_id"],
};

function columnKey(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/** What the first row of the file says about its columns. */
export function readHeader(cells: readonly string[]): BulkHeader {
  const first = cells[0] ?? "";
  if (cells.length >= 1 && normaliseCode(first) !== null) return { ok: true, columns: { code: 0 }, headerless: true };
  const columns: BulkColumns = {};
  cells.forEach((cell, index) => {
    const key = columnKey(cell);
    for (const [column, names] of Object.entries(ALIASES) as [keyof BulkColumns, readonly string[]][]) {
      if (names.includes(key) && columns[column] === undefined) columns[column] = index;
    }
  });
  const byName = columns.name !== undefined && columns.registrationNumber !== undefined;
  if (columns.code === undefined && !byName) {
    const reason =
      columns.name !== undefined ? "name-without-number" : columns.registrationNumber !== undefined ? "number-without-name" : "columns";
    return { ok: false, reason };
  }
  return { ok: true, columns, headerless: false };
}

/** One row of the upload, as the lookup needs it. `input` is what the row said, echoed in the answer. */
export type BulkRequest = { line: number; input: { code: string; name: string; registrationNumber: string } } & (
  | { kind: "code"; code: string }
  | { kind: "name"; name: string; registrationNumber: string }
  | { kind: "invalid"; note: string }
);

const cell = (record: CsvRecord, index: number | undefined) => (index === undefined ? "" : (record.cells[index] ?? "").trim());

export function bulkRequest(record: CsvRecord, columns: BulkColumns): BulkRequest {
  const input = {
    code: cell(record, columns.code).slice(0, 64),
    name: cell(record, columns.name).slice(0, 200),
    registrationNumber: cell(record, columns.registrationNumber).slice(0, 64),
  };
  const base = { line: record.line, input };
  if (record.error) return { ...base, kind: "invalid", note: `This row ${record.error}.` };
  if (input.code) {
    const code = normaliseCode(input.code);
    return code
      ? { ...base, kind: "code", code }
      : { ...base, kind: "invalid", note: "Not a certificate code (they look like ATN-7K4Q-92XD)." };
  }
  if (input.name && input.registrationNumber) {
    return { ...base, kind: "name", name: input.name, registrationNumber: input.registrationNumber };
  }
  return {
    ...base,
    kind: "invalid",
    note: columns.name !== undefined ? "No code, and not both a name and a registration number." : "No code in this row.",
  };
}

/**
 * A registration number as stored: any run of white space (tabs, no-break spaces) one ASCII space, any dash an ASCII
 * hyphen, trimmed. The bulk lookup's SQL strips only ASCII spaces and hyphens from the stored number, so what is
 * stored must hold no other kind (app/models/user.server.ts stores numbers through this).
 */
export function normalRegistrationNumber(value: string): string {
  return value
    .normalize("NFKC")
    .replace(/[‐‑‒–—]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/** Registration numbers compared as written but for case, spaces and dashes ("pyl 012-345" = "PYL012345"). */
export function registrationNumberKey(value: string): string {
  return value.toUpperCase().replace(/[\s\-‐‑‒–—]/g, "");
}

/** Names compared ignoring case, accents' composition and runs of spaces. */
export function nameKey(value: string): string {
  return value.normalize("NFKC").toLocaleLowerCase("en-GB").replace(/\s+/g, " ").trim();
}

/** Registration body names compared ignoring case and surrounding spaces ("bacp " = "BACP"). */
export function registrationBodyKey(value: string): string {
  return value.trim().toUpperCase();
}

/**
 * Which of several certificates matching one name and registration number to report: the one that says most
 * about the person now (valid, then suspended, expired, revoked), the newest first among equals.
 */
const STATUS_RANK: Record<PublicStatus, number> = { valid: 0, suspended: 1, expired: 2, revoked: 3 };
export function preferCertificate<T extends { status: PublicStatus; issuedAt: Date }>(a: T, b: T): T {
  if (STATUS_RANK[a.status] !== STATUS_RANK[b.status]) return STATUS_RANK[a.status] < STATUS_RANK[b.status] ? a : b;
  return a.issuedAt.getTime() >= b.issuedAt.getTime() ? a : b;
}

export const BULK_OUTPUT_HEADER = [
  "line",
  "input_code",
  "input_name",
  "input_registration_number",
  "status",
  "code",
  "holder_name",
  "registration_body",
  "registration_number",
  "credential",
  "issuer",
  "issued_on",
  "expires_on",
  "verify_url",
  "note",
] as const;

export type BulkFound = {
  code: string;
  status: PublicStatus;
  holder: { name: string; registrationBody: string | null; registrationNumber: string | null };
  credential: string;
  issuer: string;
  issuedAt: Date;
  expiresAt: Date | null;
  verifyUrl: string;
};

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The answer's cells for one row: what it asked, then what was found (status "unknown" or "invalid" otherwise). */
export function bulkResultCells(request: BulkRequest, found: BulkFound | null): string[] {
  const asked = [String(request.line), request.input.code, request.input.name, request.input.registrationNumber];
  if (request.kind === "invalid") return [...asked, "invalid", "", "", "", "", "", "", "", "", "", request.note];
  if (!found) {
    const note =
      request.kind === "code"
        ? "No certificate has this code."
        : "No certificate on the register or registered with your body matches this name and registration number.";
    return [...asked, "unknown", "", "", "", "", "", "", "", "", "", note];
  }
  return [
    ...asked,
    found.status,
    found.code,
    found.holder.name,
    found.holder.registrationBody ?? "",
    found.holder.registrationNumber ?? "",
    found.credential,
    found.issuer,
    day(found.issuedAt),
    found.expiresAt ? day(found.expiresAt) : "",
    found.verifyUrl,
    request.kind === "name" ? "Matched by name and registration number." : "",
  ];
}

/** A row that ends an answer cut short (too many rows, too many bytes): the line it stopped at and why. */
export function bulkStopCells(line: number, reason: "rows" | "bytes"): string[] {
  const note =
    reason === "rows"
      ? `More than ${BULK_MAX_ROWS} rows: this row and the rest were not checked.`
      : `The file is larger than ${BULK_MAX_BYTES / 1024 / 1024} MiB: the rest was not read.`;
  return [String(line), "", "", "", "invalid", "", "", "", "", "", "", "", "", "", note];
}
