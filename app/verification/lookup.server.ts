import type { AppLoadContext } from "@remix-run/node";
import { getDb } from "#app/db.server";
import { normaliseCode } from "#app/domain/certificate-code";
import { getCertificateByCode, type PublicCertificate } from "#app/models/certificate.server";
import { countLookup } from "#app/verification/rate-limit.server";

/** What a public lookup of one code found: every verification route (page, API, credentials) starts here. */
export type Lookup =
  | { kind: "limited"; retryAfterSeconds: number }
  | { kind: "malformed" }
  | { kind: "unknown"; code: string }
  | { kind: "found"; certificate: PublicCertificate };

/**
 * Counts the lookup against the client's address (the limit is held in the database) and looks the code up,
 * both at once: one write and one read. Every request counts, a malformed code included.
 */
export async function lookUpCode(context: Pick<AppLoadContext, "clientIp" | "appUrl">, input: string, now = new Date()): Promise<Lookup> {
  const code = normaliseCode(input);
  const [rate, certificate] = await Promise.all([
    countLookup(context, now),
    code ? getCertificateByCode(getDb(), code, context.appUrl, now) : Promise.resolve(null),
  ]);
  if (!rate.allowed) return { kind: "limited", retryAfterSeconds: rate.retryAfterSeconds };
  if (!code) return { kind: "malformed" };
  if (!certificate) return { kind: "unknown", code };
  return { kind: "found", certificate };
}
