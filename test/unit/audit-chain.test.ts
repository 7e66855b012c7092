import { describe, expect, it } from "vitest";
import { AUDIT_LANES, auditHash, type ChainedEvent, ChainVerifier, GENESIS_HASH, laneGenesis, verifyChain } from "#app/domain/audit-chain";

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

/** Events spread over lanes the way concurrent writers leave them: interleaved in id order. */
function lanes(plan: number[]): ChainedEvent[] {
  const heads = new Map<number, string>();
  return plan.map((lane, i) => {
    const fields = { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)), type: "t", actorId: null, subjectId: null, data: `{"i":${i}}` };
    const prevHash = heads.get(lane) ?? laneGenesis(lane);
    const hash = auditHash(prevHash, fields);
    heads.set(lane, hash);
    return { ...fields, id: i + 1, lane, prevHash, hash };
  });
}

describe("audit lanes", () => {
  it("accepts lanes interleaved in id order, and reports each lane's head", () => {
    const events = lanes([0, 1, 0, 2, 1, 0]);
    const verifier = new ChainVerifier();
    expect(verifier.check(events.slice(0, 3))).toBeNull();
    expect(verifier.check(events.slice(3))).toBeNull();
    expect(verifier.checked).toBe(6);
    expect(verifier.heads()).toEqual([
      { lane: 0, hash: events[5]?.hash },
      { lane: 1, hash: events[4]?.hash },
      { lane: 2, hash: events[3]?.hash },
    ]);
  });

  it("gives every lane its own genesis, lane 0 the original one", () => {
    expect(laneGenesis(0)).toBe(GENESIS_HASH);
    const geneses = new Set(Array.from({ length: AUDIT_LANES }, (_, lane) => laneGenesis(lane)));
    expect(geneses.size).toBe(AUDIT_LANES);
  });

  it("names the next event of the same lane after a deleted one, even with other lanes between", () => {
    const events = lanes([0, 1, 0, 1, 0]);
    events.splice(2, 1); // lane 0's second event
    expect(verifyChain(events)).toEqual({ id: 5, reason: "prev-hash-mismatch" });
  });

  it("catches an event moved to another lane", () => {
    const events = lanes([0, 1, 0, 1]);
    (events[2] as ChainedEvent).lane = 1;
    expect(verifyChain(events)).toEqual({ id: 3, reason: "prev-hash-mismatch" });
  });

  it("refuses an event in a lane no writer uses", () => {
    const events = lanes([0, 0]);
    const forged = { ...(events[1] as ChainedEvent), id: 3, lane: AUDIT_LANES, prevHash: laneGenesis(AUDIT_LANES) };
    forged.hash = auditHash(forged.prevHash, forged);
    expect(verifyChain([...events, forged])).toEqual({ id: 3, reason: "unknown-lane" });
  });
});
