/** One CSV line (RFC 4180), with spreadsheet formula injection neutralised. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells
    .map((cell) => {
      let text = cell === null || cell === undefined ? "" : String(cell);
      if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(",")}\r\n`;
}

/** One record read from a CSV file: the line it starts on (1-based), its cells, and what is wrong with it, if anything. */
export type CsvRecord = { line: number; cells: string[]; error?: string };

/**
 * A streaming RFC 4180 reader: text goes in as it arrives (any chunking, a quoted field or a CRLF may be split
 * across chunks), complete records come out. Memory is bounded by the longest record: one longer than
 * `maxRecordChars` is reported as an error record (its cells dropped) and reading goes on with the next one.
 * Malformed quoting is reported on the record it happens in, never thrown: a quote inside an unquoted field or
 * text after a closing quote, and a quoted field still open at the end of the file. Blank lines are skipped;
 * a byte-order mark at the start is dropped; records end at LF, CRLF or a lone CR.
 */
export class CsvReader {
  private readonly maxRecordChars: number;
  private cells: string[] = [];
  private field = "";
  private quoted = false;
  /** A quote seen inside a quoted field: either an escaped quote ("") or the field's end, decided by the next character. */
  private quoteSeen = false;
  /** The field was quoted and has closed; only a delimiter or the record's end may follow. */
  private closed = false;
  private afterCr = false;
  private started = false;
  private line = 1;
  private recordLine = 1;
  private recordChars = 0;
  private tooLong = false;
  private error: string | undefined;

  constructor({ maxRecordChars = 4096 }: { maxRecordChars?: number } = {}) {
    this.maxRecordChars = maxRecordChars;
  }

  /** Reads more text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (this.afterCr) {
        this.afterCr = false;
        if (c === "\n") {
          if (this.quoted) this.append(c);
          continue;
        }
      }
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (c === '"') {
          this.append('"');
          continue;
        }
        this.quoted = false;
        this.closed = true;
      }
      if (this.quoted) {
        if (c === '"') this.quoteSeen = true;
        else {
          if (c === "\n" || c === "\r") this.newline(c);
          this.append(c);
        }
        continue;
      }
      if (c === ",") {
        this.endField();
      } else if (c === "\n" || c === "\r") {
        this.newline(c);
        const record = this.endRecord();
        if (record) out.push(record);
      } else if (c === '"' && this.field === "" && !this.closed) {
        this.quoted = true;
        this.recordChars++;
      } else {
        if (this.closed) this.fail("has text after a closing quote");
        else if (c === '"') this.fail("has a quote inside a field that does not start with one");
        this.append(c);
      }
    }
    return out;
  }

  /** The end of the text: the last record, if the file did not end with a newline. */
  end(): CsvRecord[] {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.quoted = false;
      this.closed = true;
    }
    if (this.quoted) this.fail("has a quoted field that is never closed");
    const record = this.endRecord();
    return record ? [record] : [];
  }

  private newline(c: string) {
    this.line++;
    if (c === "\r") this.afterCr = true;
  }

  private append(c: string) {
    this.recordChars++;
    if (this.recordChars > this.maxRecordChars) {
      this.tooLong = true;
      return;
    }
    this.field += c;
  }

  private fail(message: string) {
    this.error ??= message;
  }

  private endField() {
    this.cells.push(this.tooLong ? "" : this.field);
    this.field = "";
    this.closed = false;
    this.recordChars++;
  }

  private endRecord(): CsvRecord | undefined {
    const blank = this.cells.length === 0 && this.field === "" && !this.closed && !this.error && !this.tooLong;
    const line = this.recordLine;
    this.recordLine = this.line;
    if (blank) return undefined;
    this.endField();
    const record: CsvRecord = this.tooLong
      ? { line, cells: [], error: `is longer than ${this.maxRecordChars} characters` }
      : { line, cells: this.cells, ...(this.error ? { error: this.error } : {}) };
    this.cells = [];
    this.recordChars = 0;
    this.tooLong = false;
    this.error = undefined;
    return record;
  }
}
