import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  CODE_RANDOM_BYTES,
  CodeRandomnessError,
  generateCertificateCode,
  isCertificateCode,
  normaliseCode,
} from "#app/domain/certificate-code";

describe("certificate codes", () => {
  it("has no ambiguous characters in its alphabet", () => {
    for (const ch of "0O1ILU") expect(CODE_ALPHABET).not.toContain(ch);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
    expect(CODE_ALPHABET).toHaveLength(30);
  });

  it("formats eight symbols as ATN-XXXX-XXXX", () => {
    const bytes = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(generateCertificateCode(bytes)).toBe("ATN-2345-6789");
    expect(generateCertificateCode(Uint8Array.from([29, 59, 89, 119, 149, 179, 209, 239]))).toBe("ATN-ZZZZ-ZZZZ");
  });

  it("skips bytes at or above 240 so every symbol is equally likely", () => {
    const bytes = Uint8Array.from([240, 255, 0, 250, 1, 2, 3, 4, 5, 6, 7]);
    expect(generateCertificateCode(bytes)).toBe("ATN-2345-6789");
  });

  it("throws when the bytes run out", () => {
    expect(() => generateCertificateCode(Uint8Array.from([1, 2, 3, 255, 255, 255, 255, 255, 255]))).toThrow(CodeRandomnessError);
  });

  it("draws valid, distinct codes from crypto-random bytes, using the whole alphabet", () => {
    const seen = new Set<string>();
    const symbols = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateCertificateCode(randomBytes(CODE_RANDOM_BYTES));
      expect(isCertificateCode(code)).toBe(true);
      seen.add(code);
      for (const ch of code.slice(4).replace("-", "")) symbols.add(ch);
    }
    expect(seen.size).toBe(2000);
    expect(symbols.size).toBe(CODE_ALPHABET.length);
  });

  it("normalises what people type: case, spaces, dashes, a missing prefix", () => {
    for (const typed of ["ATN-7K4Q-92XD", "atn-7k4q-92xd", "atn 7k4q 92xd", "ATN7K4Q92XD", " 7k4q-92xd ", "7K4Q92XD", "ATN–7K4Q–92XD"]) {
      expect(normaliseCode(typed)).toBe("ATN-7K4Q-92XD");
    }
  });

  it("refuses what cannot be a code", () => {
    for (const typed of [
      "",
      "ATN-7K4Q-92X",
      "ATN-7K4Q-92XDD",
      "ATN-7K4Q-920D",
      "ATN-7K4O-92XD",
      "ATN-1K4Q-92XD",
      "XYZ-7K4Q-92XD",
      "ATN-7K4Q-92X!",
      "A".repeat(100),
    ]) {
      expect(normaliseCode(typed)).toBeNull();
    }
    expect(isCertificateCode("atn-7k4q-92xd")).toBe(false);
  });
});
