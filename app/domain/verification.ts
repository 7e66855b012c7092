import { z } from "zod";
import type { PublicStatus } from "#app/domain/certificate-rules";

/**
 * What the public verification routes say about a certificate (docs/verification.md, ADR 0034). Pure: the JSON
 * shape of the API and the words of the page, from the public view of a certificate
 * (app/models/certificate.server.ts). Nothing clinical, and never the reason for a suspension or revocation.
 */

/** Every public status, in the order pages list them. */
export const PUBLIC_STATUSES = ["valid", "suspended", "revoked", "expired"] as const satisfies readonly PublicStatus[];

/** A code's outcome: a certificate's public status, or "unknown" when no certificate has the code. */
export type VerifyStatus = PublicStatus | "unknown";

/** The fields of a certificate that verification shows (a structural subset of PublicCertificate). */
export type VerifiableCertificate = {
  code: string;
  status: PublicStatus;
  holder: { name: string; registrationBody: string | null; registrationNumber: string | null };
  credential: string;
  issuer: string;
  issuedAt: Date;
  expiresAt: Date | null;
  verifyUrl: string;
};

/** The body of `GET /api/v1/certificates/{code}` (described in app/domain/openapi.ts). */
export type CertificateJson = {
  code: string;
  status: PublicStatus;
  holder: { name: string; registrationBody: string | null; registrationNumber: string | null };
  credential: string;
  issuer: string;
  issuedAt: string;
  expiresAt: string | null;
  verifyUrl: string;
};

export function certificateJson(cert: VerifiableCertificate): CertificateJson {
  return {
    code: cert.code,
    status: cert.status,
    holder: {
      name: cert.holder.name,
      registrationBody: cert.holder.registrationBody,
      registrationNumber: cert.holder.registrationNumber,
    },
    credential: cert.credential,
    issuer: cert.issuer,
    issuedAt: cert.issuedAt.toISOString(),
    expiresAt: cert.expiresAt ? cert.expiresAt.toISOString() : null,
    verifyUrl: cert.verifyUrl,
  };
}

/** How the page names each outcome, and what it means for someone relying on it. */
export const STATUS_TEXT: Record<VerifyStatus, { label: string; meaning: string; tone: "success" | "warn" | "error" }> = {
  valid: {
    label: "Valid",
    meaning: "This certificate is current: its holder has met every requirement of the pathway it was issued under.",
    tone: "success",
  },
  suspended: {
    label: "Suspended",
    meaning: "This certificate is suspended for now and must not be relied on while it is. A suspension can be lifted.",
    tone: "warn",
  },
  revoked: {
    label: "Revoked",
    meaning: "This certificate has been revoked by its issuer and is no longer valid. A revocation is final.",
    tone: "error",
  },
  expired: {
    label: "Expired",
    meaning: "This certificate has passed its expiry date and is no longer valid unless it has been renewed under a new code.",
    tone: "warn",
  },
  unknown: {
    label: "Not found",
    meaning: "No certificate has this code. Check it against the certificate; codes never contain 0, O, 1, I, L or U.",
    tone: "error",
  },
};

/** "12 March 2027" (UTC): the page's dates. */
export function formatDay(date: Date | string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(new Date(date));
}

/** The register's query (page and API alike): `q` up to 100 characters, `page` a positive whole number. */
export const RegisterQuerySchema = z.object({
  q: z.string().trim().max(100, "Use at most 100 characters").default(""),
  page: z.coerce
    .number({ error: "The page must be a whole number" })
    .int("The page must be a whole number")
    .min(1, "The page must be 1 or more")
    .max(100_000, "There are not that many pages")
    .default(1),
});

/** The query parameters of a URL as the register and dashboard schemas read them (a repeated parameter: its first value; an empty page or status: none). */
export function registerQueryInput(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["q", "page", "status"]) {
    const value = url.searchParams.get(name);
    if (value !== null && !(name !== "q" && value === "")) out[name] = value;
  }
  return out;
}

/** The accreditor dashboard's query: the register's, plus an optional public status. */
export const DashboardQuerySchema = RegisterQuerySchema.extend({
  status: z.enum(["valid", "suspended", "revoked", "expired"], { error: "Choose a status from the list" }).optional(),
});
