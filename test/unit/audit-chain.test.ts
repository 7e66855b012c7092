import { describe, expect, it } from "vitest";
import { auditHash, type ChainedEvent, GENESIS_HASH, verifyChain } from "#app/domain/audit-chain";

function chain(n: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = { createdAt: new Date(Date.UTC(2026, 0, i)), type: "t", actorId: `u${i}`, subjectId: null, data: `{"i":${i}}` };
    const hash = auditHash(prev, fields);
    events.push({ ...fields, id: i, lane: 0, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe("audit hash chain", () => {
  it("accepts an intact chain", () => {
    expect(verifyChain(chain(5))).toBeNull();
    expect(verifyChain([])).toBeNull();
  });

  it("is deterministic and covers every field", () => {
    const base = { createdAt: new Date(0), type: "a", actorId: "x", subjectId: "y", data: "{}" };
    const h = auditHash(GENESIS_HASH, base);
    expect(auditHash(GENESIS_HASH, { ...base })).toBe(h);
    for (const change of [{ type: "b" }, { actorId: null }, { subjectId: "z" }, { data: '{"a":1}' }, { createdAt: new Date(1) }]) {
      expect(auditHash(GENESIS_HASH, { ...base, ...change })).not.toBe(h);
    }
    expect(auditHash("f".repeat(64), base)).not.toBe(h);
  });

  it("names the first edited row", () => {
    const events = chain(5);
    (events[2] as ChainedEvent).data = '{"i":"forged"}';
    expect(verifyChain(events)).toEqual({ id: 3, reason: "hash-mismatch" });
  });

  it("names the row after a deleted one", () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(events)).toEqual({ id: 3, reason: "prev-hash-mismatch" });
  });

  it("catches a rewritten row whose hash was recomputed but whose successor was not", () => {
    const events = chain(4);
    const e = events[1] as ChainedEvent;
    e.type = "forged";
    e.hash = auditHash(e.prevHash, e);
    expect(verifyChain(events)).toEqual({ id: 3, reason: "prev-hash-mismatch" });
  });
});
