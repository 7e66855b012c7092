import { createHash } from "node:crypto";
import type { CpdKind } from "#app/domain/certificate-rules";
import { type Canonical, canonicalJson, evidenceHash } from "#app/domain/evidence-hash";

/**
 * The evidence snapshot a certificate keeps (ADR 0032): the canonical JSON
 * (app/domain/evidence-hash.ts) of the ids and hashes it rests on, and its
 * SHA-256. Pure; server-side in practice (node:crypto), so it lives apart from
 * certificate-rules.ts, which pages import.
 */

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export type EvidenceItem = { kind: string; id: string; hash?: string };

/**
 * What a certificate rests on: for a first issue, the pathway (id, version)
 * and each step with the ids and hashes of the evidence that met it; for a
 * renewal, the certificate renewed (code and evidence hash) and the CPD
 * entries counted. No labels, nothing clinical: ids and hashes only.
 */
export type EvidenceSnapshot =
  | {
      kind: "pathway";
      pathway: { id: string; version: number };
      evaluatedAt: Date;
      steps: { id: string; evidence: EvidenceItem[] }[];
    }
  | {
      kind: "renewal";
      pathway: { id: string; version: number };
      renewalOf: { code: string; evidenceHash: string };
      cpd: { id: string; date: Date; hours: number; kind: CpdKind; hash: string }[];
    };

/** The snapshot as stored (canonical JSON) and its SHA-256. */
export function sealSnapshot(snapshot: EvidenceSnapshot): { json: string; hash: string } {
  const json = canonicalJson(snapshot as unknown as Canonical);
  return { json, hash: sha256Hex(json) };
}

/** The hash that pins one CPD entry as it was when counted. */
export function cpdEntryHash(entry: { id: string; date: Date; hours: number; kind: CpdKind; description: string }): string {
  return evidenceHash("cpd-entry", {
    id: entry.id,
    date: entry.date,
    hours: entry.hours,
    kind: entry.kind,
    description: entry.description,
  });
}
