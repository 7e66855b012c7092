import type { DbTx } from "#app/db.server";
import { normaliseCode } from "#app/domain/certificate-code";
import { type PublicStatus, publicStatus } from "#app/domain/certificate-rules";
import type { Prisma } from "#app/generated/prisma/client";
import { linkTo } from "#app/mail/mailer.server";

/**
 * Certificates: issuing, their life (suspend, reinstate, revoke, expire,
 * renew) and what verifiers see. See docs/certificates.md.
 */

/** The public view of a certificate: what anyone with its code may see. Nothing clinical. */
export type PublicCertificate = {
  code: string;
  status: PublicStatus;
  holder: { name: string; registrationBody: string | null; registrationNumber: string | null };
  /** The credential's name, e.g. "DIT Practitioner". */
  credential: string;
  /** The issuing body's name. */
  issuer: string;
  issuedAt: Date;
  expiresAt: Date | null;
  /** Absolute: `${APP_URL}/verify/<code>`. */
  verifyUrl: string;
  revocationIndex: number;
  suspensionIndex: number;
  /** For the credential's subject id and register links; not for display. */
  holderId: string;
};

/** The public verification page of a code, absolute (from the app's base URL, never the request). */
export function verifyUrlFor(baseUrl: string, code: string): string {
  return linkTo(baseUrl, `/verify/${code}`);
}

export const PUBLIC_SELECT = {
  code: true,
  status: true,
  holderId: true,
  holderName: true,
  registrationBody: true,
  registrationNumber: true,
  credentialName: true,
  issuerName: true,
  issuedAt: true,
  expiresAt: true,
  revocationIndex: true,
  suspensionIndex: true,
} as const;

type PublicRow = Prisma.CertificateGetPayload<{ select: typeof PUBLIC_SELECT }>;

export function toPublic(row: PublicRow, baseUrl: string, now: Date): PublicCertificate {
  return {
    code: row.code,
    status: publicStatus(row, now),
    holder: { name: row.holderName, registrationBody: row.registrationBody, registrationNumber: row.registrationNumber },
    credential: row.credentialName,
    issuer: row.issuerName,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    verifyUrl: verifyUrlFor(baseUrl, row.code),
    revocationIndex: row.revocationIndex,
    suspensionIndex: row.suspensionIndex,
    holderId: row.holderId,
  };
}

/**
 * The certificate a typed code names (any case, spaces, dashes or none), or
 * null when the input cannot be a code or no certificate has it.
 */
export async function getCertificateByCode(db: DbTx, code: string, baseUrl: string, now = new Date()): Promise<PublicCertificate | null> {
  const normalised = normaliseCode(code);
  if (!normalised) return null;
  const row = await db.certificate.findUnique({ where: { code: normalised }, select: PUBLIC_SELECT });
  return row ? toPublic(row, baseUrl, now) : null;
}
