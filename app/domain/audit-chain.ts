import { createHash } from "node:crypto";

/**
 * The audit log is a set of hash chains ("lanes", ADR 0014): each event's hash
 * covers its own fields and the hash of the event before it in its lane, so
 * changing, deleting or inserting a row breaks the next link of that lane.
 * Lanes exist so that concurrent writers need not queue behind one chain head;
 * an event's lane is not covered by its hash, because its prevHash already
 * binds it to its predecessor. Pure functions; storage lives in
 * app/models/audit.server.ts.
 */
export const GENESIS_HASH = "0".repeat(64);

/** How many lanes writers may spread over (PostgreSQL; SQLite writes lane 0 only). */
export const AUDIT_LANES = 64;

/** The prevHash of a lane's first event: GENESIS_HASH for lane 0 (the original single chain), distinct for the others. */
export function laneGenesis(lane: number): string {
  return lane === 0 ? GENESIS_HASH : createHash("sha256").update(`attune-audit-lane:${lane}`).digest("hex");
}

export type AuditFields = {
  createdAt: Date;
  type: string;
  actorId: string | null;
  subjectId: string | null;
  /** JSON text, stored as is. */
  data: string;
};

export type ChainedEvent = AuditFields & { id: number; lane: number; prevHash: string; hash: string };

export function auditHash(prevHash: string, fields: AuditFields): string {
  const canonical = JSON.stringify([prevHash, fields.createdAt.toISOString(), fields.type, fields.actorId, fields.subjectId, fields.data]);
  return createHash("sha256").update(canonical).digest("hex");
}

export type ChainBreak = { id: number; reason: "prev-hash-mismatch" | "hash-mismatch" | "unknown-lane" };

/**
 * Checks one event against the hash of the event before it (GENESIS_HASH for
 * the first). Returns the reason it breaks the chain, or null.
 */
export function checkLink(expectedPrev: string, event: ChainedEvent): ChainBreak | null {
  if (event.prevHash !== expectedPrev) return { id: event.id, reason: "prev-hash-mismatch" };
  if (auditHash(event.prevHash, event) !== event.hash) return { id: event.id, reason: "hash-mismatch" };
  return null;
}

/**
 * Follows every lane through events given in id order (in pages: feed it
 * page after page). Holds one hash per lane, never the events.
 */
export class ChainVerifier {
  #heads = new Map<number, string>();
  checked = 0;

  /** The first break among these events (the next ones in id order), or null. */
  check(events: Iterable<ChainedEvent>): ChainBreak | null {
    for (const event of events) {
      if (!Number.isInteger(event.lane) || event.lane < 0 || event.lane >= AUDIT_LANES) return { id: event.id, reason: "unknown-lane" };
      const broken = checkLink(this.#heads.get(event.lane) ?? laneGenesis(event.lane), event);
      if (broken) return broken;
      this.#heads.set(event.lane, event.hash);
      this.checked++;
    }
    return null;
  }

  /** The last hash of each lane written so far, for recording outside the database. */
  heads(): { lane: number; hash: string }[] {
    return [...this.#heads].map(([lane, hash]) => ({ lane, hash })).sort((a, b) => a.lane - b.lane);
  }
}

/** Verifies events given in id order, returning the first break or null. */
export function verifyChain(events: Iterable<ChainedEvent>): ChainBreak | null {
  return new ChainVerifier().check(events);
}
