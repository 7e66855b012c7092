import { createHash } from "node:crypto";

/**
 * The audit log is a hash chain: each event's hash covers its own fields and
 * the previous event's hash, so changing or deleting any row breaks every
 * later link. Pure functions; storage lives in app/models/audit.server.ts.
 */
export const GENESIS_HASH = "0".repeat(64);

export type AuditFields = {
  createdAt: Date;
  type: string;
  actorId: string | null;
  subjectId: string | null;
  /** JSON text, stored as is. */
  data: string;
};

export type ChainedEvent = AuditFields & { id: number; prevHash: string; hash: string };

export function auditHash(prevHash: string, fields: AuditFields): string {
  const canonical = JSON.stringify([prevHash, fields.createdAt.toISOString(), fields.type, fields.actorId, fields.subjectId, fields.data]);
  return createHash("sha256").update(canonical).digest("hex");
}

export type ChainBreak = { id: number; reason: "prev-hash-mismatch" | "hash-mismatch" };

/**
 * Checks one event against the hash of the event before it (GENESIS_HASH for
 * the first). Returns the reason it breaks the chain, or null.
 */
export function checkLink(expectedPrev: string, event: ChainedEvent): ChainBreak | null {
  if (event.prevHash !== expectedPrev) return { id: event.id, reason: "prev-hash-mismatch" };
  if (auditHash(event.prevHash, event) !== event.hash) return { id: event.id, reason: "hash-mismatch" };
  return null;
}

/** Verifies events given in id order, returning the first break or null. */
export function verifyChain(events: Iterable<ChainedEvent>, startPrev = GENESIS_HASH): ChainBreak | null {
  let prev = startPrev;
  for (const event of events) {
    const broken = checkLink(prev, event);
    if (broken) return broken;
    prev = event.hash;
  }
  return null;
}
