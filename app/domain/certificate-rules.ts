/**
 * Rules of a certificate's life (docs/certificates.md, ADR 0033). Pure.
 * "Expired" is not stored as a status: it follows from the expiry date, so a
 * certificate is never shown as valid past its date even before the daily job
 * has recorded the expiry.
 */

export type CertificateStatus = "ACTIVE" | "SUSPENDED" | "REVOKED";
export type PublicStatus = "valid" | "suspended" | "revoked" | "expired";

export function isExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/**
 * What a verifier is told. Revocation is final and says most; an expired
 * certificate cannot come back by reinstatement (only a renewal, which is a new
 * certificate), so expiry outranks suspension.
 */
export function publicStatus(cert: { status: CertificateStatus; expiresAt: Date | null }, now: Date): PublicStatus {
  if (cert.status === "REVOKED") return "revoked";
  if (isExpired(cert.expiresAt, now)) return "expired";
  if (cert.status === "SUSPENDED") return "suspended";
  return "valid";
}
