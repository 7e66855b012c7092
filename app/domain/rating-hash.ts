import { createHash } from "node:crypto";

/**
 * The fingerprint of a final rating, for evidence that cites it (pathways,
 * certificates): SHA-256 over a canonical JSON of what makes the rating what it
 * is. Canonical = this fixed key order, items sorted by id, dates as ISO 8601
 * UTC, a not-applicable item as null. Changing any score, the outcome, how it
 * was decided, when, or the framework version changes the hash. See docs/rating.md.
 */
export type FinalRatingFacts = {
  frameworkId: string;
  frameworkVersion: number;
  /** Per item: its final score, or null when the item was not applicable. */
  scores: Record<string, number | null>;
  competent: boolean;
  decidedBy: "SINGLE" | "DERIVED" | "MODERATED";
  finalizedAt: Date;
};

export function finalRatingCanonicalJson(facts: FinalRatingFacts): string {
  const items = Object.keys(facts.scores)
    .sort()
    .map((id) => [id, facts.scores[id] ?? null]);
  return JSON.stringify({
    frameworkId: facts.frameworkId,
    frameworkVersion: facts.frameworkVersion,
    items,
    competent: facts.competent,
    decidedBy: facts.decidedBy,
    finalizedAt: facts.finalizedAt.toISOString(),
  });
}

export function finalRatingHash(facts: FinalRatingFacts): string {
  return createHash("sha256").update(finalRatingCanonicalJson(facts)).digest("hex");
}
