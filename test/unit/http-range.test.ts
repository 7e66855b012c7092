import { describe, expect, it } from "vitest";
import { contentRange, parseRangeHeader } from "#app/domain/http-range";

describe("parseRangeHeader", () => {
  const size = 1000;
  it("no header → whole", () => {
    expect(parseRangeHeader(null, size)).toEqual({ kind: "whole" });
    expect(parseRangeHeader(undefined, size)).toEqual({ kind: "whole" });
  });
  it.each([
    ["bytes=0-0", 0, 1],
    ["bytes=0-499", 0, 500],
    ["bytes=500-", 500, 1000],
    ["bytes=999-999", 999, 1000],
    ["bytes=900-5000", 900, 1000],
    ["bytes=-1", 999, 1000],
    ["bytes=-250", 750, 1000],
    ["bytes=-5000", 0, 1000],
    ["BYTES = 10-19", 10, 20],
  ])("%s → [%i, %i)", (header, start, end) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: "partial", start, end });
  });
  it.each([
    "bytes=5-2",
    "bytes=1000-",
    "bytes=1000-1001",
    "bytes=-0",
    "bytes=-",
    "bytes=abc",
    "bytes=1-2-3",
    "bytes=1.5-3",
    "bytes= -5 - 6",
    "items=0-5",
    "0-5",
    "bytes=",
    "bytes=0-1,5-2",
    "bytes=1000-,2000-",
    `bytes=${"0-1,".repeat(16)}0-1`,
    "bytes=9999999999999999-",
  ])("%s → unsatisfiable", (header) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: "unsatisfiable" });
  });
  it("several well-formed ranges → the whole body (200)", () => {
    expect(parseRangeHeader("bytes=0-1, 5-6", size)).toEqual({ kind: "whole" });
    expect(parseRangeHeader("bytes=0-1,2000-", size)).toEqual({ kind: "whole" });
  });
  it("an empty body satisfies no range", () => {
    expect(parseRangeHeader("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRangeHeader("bytes=-5", 0)).toEqual({ kind: "unsatisfiable" });
  });
});

describe("contentRange", () => {
  it("names inclusive positions for 206 and */size for 416", () => {
    expect(contentRange({ start: 0, end: 1 }, 10)).toBe("bytes 0-0/10");
    expect(contentRange({ start: 5, end: 10 }, 10)).toBe("bytes 5-9/10");
    expect(contentRange(null, 10)).toBe("bytes */10");
  });
});
