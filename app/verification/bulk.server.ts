import { getDb } from "#app/db.server";
import {
  BULK_BATCH_SIZE,
  BULK_FILE_FIELD,
  BULK_MAX_BYTES,
  BULK_MAX_ROW_CHARS,
  BULK_MAX_ROWS,
  BULK_OUTPUT_HEADER,
  type BulkColumns,
  type BulkRefusalReason,
  type BulkRequest,
  bulkRequest,
  bulkResultCells,
  bulkStopCells,
  readHeader,
} from "#app/domain/bulk-verify";
import { CsvReader, type CsvRecord, csvLine } from "#app/domain/csv";
import { parseMultipart } from "#app/forms/multipart.server";
import { certificatesByCode, certificatesByPerson, personKey } from "#app/models/accreditor.server";
import { recordAuditEvent } from "#app/models/audit.server";

/**
 * Bulk verification, streamed both ways (docs/verification.md, ADR 0034). The multipart upload is parsed as it
 * arrives (parseMultipart, app/forms/multipart.server.ts: Remix's streaming parser), its file part decoded and read by CsvReader chunk by chunk; rows
 * are looked up BULK_BATCH_SIZE at a time (one query for the codes of a batch, two for its names) and each
 * batch's answer lines are written before the next batch is read. Memory holds one batch, whatever the file's
 * size, and the response waits for the client to take each batch (backpressure).
 *
 * The answer starts once the first row is read: a file whose first row cannot be understood (no file, empty,
 * unknown columns) is refused as a whole, before any CSV is sent; after that every problem is a row of the
 * answer (status "invalid" with a note), never an error of the request.
 */

export type BulkRefusal = { status: 400 | 413 | 415; reason: BulkRefusalReason };

export type BulkOptions = {
  accreditor: { id: string; accreditingBody: string | null };
  baseUrl: string;
  /** Resolves when the response can take more bytes (AppLoadContext.responseDrained). */
  drained?: () => Promise<void>;
  now?: Date;
};

class Refused extends Error {
  constructor(readonly refusal: BulkRefusal) {
    super(refusal.reason);
  }
}

/** Either the streamed CSV answer, or why the upload is refused (nothing of it has been answered yet). */
export async function bulkVerify(
  request: Request,
  options: BulkOptions,
): Promise<{ ok: true; response: Response } | { ok: false; refusal: BulkRefusal }> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
  // A form sent without its file (e.g. urlencoded) lacks the file; anything else is not a form at all.
  if (type === "application/x-www-form-urlencoded") return { ok: false, refusal: { status: 400, reason: "no-file" } };
  if (type !== "multipart/form-data") return { ok: false, refusal: { status: 415, reason: "not-multipart" } };
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (!Number.isFinite(length) || length > BULK_MAX_BYTES + 64 * 1024) {
    return { ok: false, refusal: { status: 413, reason: "too-large" } };
  }

  const encoder = new TextEncoder();
  const output = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 4 }, { highWaterMark: 4 });
  const writer = output.writable.getWriter();
  let started: (() => void) | undefined;
  let refused: ((r: BulkRefusal) => void) | undefined;
  const start = new Promise<void>((resolve, reject) => {
    started = resolve;
    refused = (r) => reject(new Refused(r));
  });
  let answering = false;
  const stats = { rows: 0, found: 0, invalid: 0 };

  const write = async (lines: string) => {
    await writer.ready;
    await writer.write(encoder.encode(lines));
    await options.drained?.();
  };

  const answer = async (batch: BulkRequest[]) => {
    const db = getDb();
    const codes = batch.flatMap((r) => (r.kind === "code" ? [r.code] : []));
    const people = batch.flatMap((r) => (r.kind === "name" ? [{ name: r.name, registrationNumber: r.registrationNumber }] : []));
    const [byCode, byPerson] = await Promise.all([
      certificatesByCode(db, codes, options.baseUrl, options.now),
      certificatesByPerson(db, people, options.accreditor.accreditingBody, options.baseUrl, options.now),
    ]);
    let lines = "";
    for (const r of batch) {
      const found =
        r.kind === "code"
          ? (byCode.get(r.code) ?? null)
          : r.kind === "name"
            ? (byPerson.get(personKey(r.name, r.registrationNumber)) ?? null)
            : null;
      if (found) stats.found++;
      if (r.kind === "invalid") stats.invalid++;
      lines += csvLine(bulkResultCells(r, found));
    }
    await write(lines);
  };

  /** Reads the file part: header first (deciding whether to answer at all), then the rows in batches. */
  const readFile = async (data: AsyncIterable<Uint8Array>) => {
    const decoder = new TextDecoder("utf-8");
    const reader = new CsvReader({ maxRecordChars: BULK_MAX_ROW_CHARS });
    let columns: BulkColumns | null = null;
    let batch: BulkRequest[] = [];
    let stopped: "rows" | "bytes" | null = null;
    let lastLine = 1;
    let bytes = 0;

    const take = async (record: CsvRecord) => {
      lastLine = record.line;
      if (stopped) return;
      if (!columns) {
        const header = readHeader(record.cells);
        if (!header.ok) throw new Refused({ status: 400, reason: header.reason });
        columns = header.columns;
        answering = true;
        started?.();
        await write(csvLine([...BULK_OUTPUT_HEADER]));
        if (!header.headerless) return;
      }
      if (stats.rows >= BULK_MAX_ROWS) {
        stopped = "rows";
        await flush();
        await write(csvLine(bulkStopCells(record.line, "rows")));
        return;
      }
      stats.rows++;
      batch.push(bulkRequest(record, columns));
      if (batch.length >= BULK_BATCH_SIZE) await flush();
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const full = batch;
      batch = [];
      await answer(full);
    };

    for await (const chunk of data) {
      if (stopped) continue; // drain what the client still sends
      bytes += chunk.byteLength;
      if (bytes > BULK_MAX_BYTES) {
        for (const record of reader.push(
          decoder.decode(chunk.subarray(0, chunk.byteLength - (bytes - BULK_MAX_BYTES)), { stream: true }),
        )) {
          await take(record);
        }
        if (!columns) throw new Refused({ status: 413, reason: "too-large" });
        await flush();
        if (!stopped) await write(csvLine(bulkStopCells(lastLine + 1, "bytes")));
        stopped = "bytes";
        continue;
      }
      for (const record of reader.push(decoder.decode(chunk, { stream: true }))) await take(record);
    }
    if (!stopped) {
      for (const record of [...reader.push(decoder.decode()), ...reader.end()]) await take(record);
    }
    if (!columns) throw new Refused({ status: 400, reason: "empty" });
    await flush();
  };

  let sawFile = false;
  // Other fields (and a second file) are read past by parseMultipart; an empty file input is no file.
  const parse = parseMultipart(request, async (part) => {
    if (part.name === BULK_FILE_FIELD && !sawFile) {
      sawFile = true;
      await readFile(part.data);
    }
    return undefined;
  });

  parse
    .then(async () => {
      if (!sawFile) throw new Refused({ status: 400, reason: "no-file" });
      await recordAuditEvent(getDb(), { type: "verify.bulk", actorId: options.accreditor.id, data: { ...stats } });
      await writer.close();
    })
    .catch(async (error: unknown) => {
      if (!answering) {
        // parseMultipart's own refusals (a broken body, too many fields) are thrown Responses: the upload is unreadable.
        const status = error instanceof Response && (error.status === 413 || error.status === 415) ? error.status : 400;
        refused?.(error instanceof Refused ? error.refusal : { status, reason: "unreadable" });
        return;
      }
      // Headers are sent: all that is left is to end the answer early (the client sees a truncated download).
      console.error("bulk verification failed part-way", error);
      await writer.abort(error).catch(() => {});
    });

  try {
    await start;
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    throw error;
  }
  return {
    ok: true,
    response: new Response(output.readable, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="verification-results.csv"',
        "Cache-Control": "no-store",
      },
    }),
  };
}
