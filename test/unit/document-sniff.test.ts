import { describe, expect, it } from "vitest";
import { formatSize } from "#app/domain/case-study-rules";
import { DocumentRejected, detectDocument, limitBytes } from "#app/media/document.server";
import { BINARY, docx, odt, PNG, pdf, text, zip } from "../support/documents";

/** The bytes as a stream of `size`-byte chunks, counting how many chunks were read. */
function chunked(bytes: Buffer, size: number) {
  const read = { chunks: 0 };
  return {
    read,
    open: async () =>
      (async function* () {
        for (let i = 0; i < bytes.length; i += size) {
          read.chunks += 1;
          yield bytes.subarray(i, i + size);
        }
      })(),
  };
}

describe("what a case-study document is, from its content", () => {
  it("recognises PDF, DOCX and ODT from their first bytes, reading no further than needed", async () => {
    const big = chunked(pdf(200_000), 1000);
    expect((await detectDocument(big.open)).ext).toBe("pdf");
    expect(big.read.chunks).toBeLessThan(20);
    expect((await detectDocument(chunked(docx(), 100).open)).ext).toBe("docx");
    expect((await detectDocument(chunked(odt(), 100).open)).ext).toBe("odt");
  });

  it("takes UTF-8 text (a character split across chunks included) as plain text", async () => {
    const t = text();
    const split = t.indexOf(Buffer.from("é")) + 1;
    const stream = async () =>
      (async function* () {
        yield t.subarray(0, split);
        yield t.subarray(split);
      })();
    expect(await detectDocument(stream)).toMatchObject({ ext: "txt", mime: "text/plain; charset=utf-8" });
  });

  it("refuses other types, binary data and text with control characters or broken UTF-8", async () => {
    const refused = async (bytes: Buffer) => detectDocument(chunked(bytes, 64).open).catch((e: unknown) => e);
    for (const [bytes, code] of [
      [PNG, "not-accepted"],
      [zip([["a.txt", "hello"]]), "not-accepted"],
      [BINARY, "not-text"],
      [Buffer.from("text with a bell \u0007 in it"), "not-text"],
      [Buffer.from([0x61, 0x62, 0xc3]), "not-text"],
    ] as const) {
      const error = await refused(bytes);
      expect(error).toBeInstanceOf(DocumentRejected);
      expect((error as DocumentRejected).code).toBe(code);
    }
  });
});

describe("the size limit while the bytes arrive", () => {
  it("passes everything up to the limit and stops at the first chunk beyond it, without reading the rest", async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield new Uint8Array(1000);
      }
    }
    const seen: number[] = [];
    const error = await (async () => {
      for await (const c of limitBytes(endless(), 4500)) seen.push(c.byteLength);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentRejected);
    expect((error as DocumentRejected).message).toBe("This file is larger than 4 KiB, the largest case study accepted.");
    expect(seen).toEqual([1000, 1000, 1000, 1000]);
    expect(pulled).toBe(5);
    const exact: number[] = [];
    for await (const c of limitBytes(await chunked(Buffer.alloc(4500), 1500).open(), 4500)) exact.push(c.byteLength);
    expect(exact).toEqual([1500, 1500, 1500]);
  });

  it("writes sizes in words", () => {
    expect(formatSize(20 * 1024 * 1024)).toBe("20 MiB");
    expect(formatSize(1.5 * 1024 * 1024)).toBe("1.5 MiB");
    expect(formatSize(256 * 1024)).toBe("256 KiB");
  });
});
