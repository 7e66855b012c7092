import { describe, expect, it } from "vitest";
import { CsvReader, type CsvRecord, csvLine } from "#app/domain/csv";

function readAll(chunks: string[], options?: { maxRecordChars?: number }): CsvRecord[] {
  const reader = new CsvReader(options);
  return [...chunks.flatMap((c) => reader.push(c)), ...reader.end()];
}

describe("CsvReader", () => {
  it("reads plain, quoted and escaped fields, with line numbers", () => {
    expect(readAll(['code,name\r\nATN-7K4Q-92XD,"Lovelace, Ada"\n"say ""hi""",x\n'])).toEqual([
      { line: 1, cells: ["code", "name"] },
      { line: 2, cells: ["ATN-7K4Q-92XD", "Lovelace, Ada"] },
      { line: 3, cells: ['say "hi"', "x"] },
    ]);
  });

  it("keeps newlines inside quoted fields and counts lines across them", () => {
    expect(readAll(['a,"two\r\nlines"\rb,c'])).toEqual([
      { line: 1, cells: ["a", "two\r\nlines"] },
      { line: 3, cells: ["b", "c"] },
    ]);
  });

  it("skips blank lines and a byte-order mark, keeps empty cells", () => {
    expect(readAll(['\uFEFFcode\n\n\r\n,\n""\nx'])).toEqual([
      { line: 1, cells: ["code"] },
      { line: 4, cells: ["", ""] },
      { line: 5, cells: [""] },
      { line: 6, cells: ["x"] },
    ]);
  });

  it("reads the same records however the text is cut into chunks", () => {
    const text = 'code,name\r\n"A ""quoted"", name",x\r\n\r\n"multi\r\nline",y\n,\nlast,"one"';
    const whole = readAll([text]);
    expect(whole).toHaveLength(5);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 7) {
        expect(readAll([text.slice(0, i), text.slice(i, j), text.slice(j)]), `cut at ${i}, ${j}`).toEqual(whole);
      }
    }
  });

  it("reads back what csvLine writes", () => {
    const rows = [
      ["plain", "with, comma", 'with "quotes"', "new\nline", ""],
      ["=1+1", "-x", "ok", "\r", " spaced "],
    ];
    expect(readAll([rows.map((r) => csvLine(r)).join("")]).map((r) => r.cells)).toEqual([
      rows[0],
      ["'=1+1", "'-x", "ok", "'\r", " spaced "],
    ]);
  });

  it("reports malformed quoting on the record it is in and goes on with the next", () => {
    expect(readAll(['ab"c,d\n"ab"c,d\nok,1\n"never closed,2\n'])).toEqual([
      { line: 1, cells: ['ab"c', "d"], error: "has a quote inside a field that does not start with one" },
      { line: 2, cells: ["abc", "d"], error: "has text after a closing quote" },
      { line: 3, cells: ["ok", "1"] },
      { line: 4, cells: ["never closed,2\n"], error: "has a quoted field that is never closed" },
    ]);
  });

  it("bounds memory: an over-long record is an error record, and the next one is read", () => {
    const long = "x".repeat(50);
    expect(readAll([`short\n${long},${long}\nafter\n`], { maxRecordChars: 40 })).toEqual([
      { line: 1, cells: ["short"] },
      { line: 2, cells: [], error: "is longer than 40 characters" },
      { line: 3, cells: ["after"] },
    ]);
  });
});
