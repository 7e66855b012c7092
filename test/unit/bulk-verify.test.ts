import { describe, expect, it } from "vitest";
import { nameKey, normalRegistrationNumber, registrationNumberKey } from "#app/domain/bulk-verify";

describe("registration numbers and names in bulk lookups", () => {
  it("stores a number with one kind of space and dash, so the database's ASCII-only stripping finds it", () => {
    expect(normalRegistrationNumber("  PYL\u00a0\t012\u2013345 ")).toBe("PYL 012-345");
    expect(normalRegistrationNumber("UKCP 2019\u20140457")).toBe("UKCP 2019-0457");
    expect(normalRegistrationNumber("ＰＹＬ１２")).toBe("PYL12"); // full-width forms (NFKC)
    // What the SQL does to a stored number: upper-case, strip ASCII spaces and hyphens.
    const sqlKey = (stored: string) => stored.toUpperCase().replaceAll(" ", "").replaceAll("-", "");
    for (const typed of ["pyl\u00a0012\u2011345", "PYL\t012 \u2012 345", "pyl012345"]) {
      expect(sqlKey(normalRegistrationNumber(typed))).toBe(registrationNumberKey(typed));
    }
  });

  it("compares names ignoring case and runs of spaces, and numbers ignoring case, spaces and dashes", () => {
    expect(nameKey("  Lee   LISTED ")).toBe("lee listed");
    expect(registrationNumberKey("pyl 012-345")).toBe("PYL012345");
    expect(registrationNumberKey("PYL012346")).not.toBe(registrationNumberKey("PYL012345"));
  });
});
