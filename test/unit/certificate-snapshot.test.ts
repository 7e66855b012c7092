import { describe, expect, it } from "vitest";
import { cpdEntryHash, sealSnapshot, sha256Hex } from "#app/domain/certificate-snapshot";

const NOW = new Date("2027-03-10T12:00:00Z");

describe("evidence snapshot", () => {
  it("is canonical JSON: the same value gives the same text and hash whatever the key order", () => {
    const a = sealSnapshot({
      kind: "pathway",
      pathway: { id: "dit-practitioner", version: 1 },
      evaluatedAt: NOW,
      steps: [{ id: "modules", evidence: [{ kind: "module", id: "m1", hash: "h" }] }],
    });
    const b = sealSnapshot({
      steps: [{ evidence: [{ hash: "h", id: "m1", kind: "module" }], id: "modules" }],
      evaluatedAt: NOW,
      pathway: { version: 1, id: "dit-practitioner" },
      kind: "pathway",
    });
    expect(a).toEqual(b);
    expect(a.json).toBe(
      '{"evaluatedAt":"2027-03-10T12:00:00.000Z","kind":"pathway","pathway":{"id":"dit-practitioner","version":1},"steps":[{"evidence":[{"hash":"h","id":"m1","kind":"module"}],"id":"modules"}]}',
    );
    expect(a.hash).toBe(sha256Hex(a.json));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes when any id or hash changes", () => {
    const seal = (hash: string) =>
      sealSnapshot({
        kind: "pathway",
        pathway: { id: "p", version: 1 },
        evaluatedAt: NOW,
        steps: [{ id: "s", evidence: [{ kind: "rating", id: "r", hash }] }],
      }).hash;
    expect(seal("aaa")).not.toBe(seal("aab"));
  });

  it("pins a CPD entry's content", () => {
    const e = { id: "c1", date: new Date("2026-01-01T00:00:00Z"), hours: 2, kind: "GENERAL" as const, description: "Reading group" };
    expect(cpdEntryHash(e)).toBe(cpdEntryHash({ ...e }));
    expect(cpdEntryHash(e)).not.toBe(cpdEntryHash({ ...e, hours: 2.25 }));
    expect(cpdEntryHash(e)).not.toBe(cpdEntryHash({ ...e, description: "Reading" }));
  });
});
