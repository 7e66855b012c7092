/**
 * What checking a presented credential reports (app/credentials/open-badge.server.ts: verifyPresentedCredential),
 * shared with the page that shows it (app/routes/verify.credential.tsx). Pure: no I/O.
 */

/** The largest credential text that is read (ours are a few KiB). */
export const MAX_PRESENTED_BYTES = 100 * 1024;

export type VerificationReport = {
  form: "data-integrity" | "jwt" | "unknown";
  /** The signature verifies with one of our published keys (current or retired). */
  signatureValid: boolean;
  /** Everything holds: signature, issued by us, in date, neither revoked nor suspended, no errors. */
  valid: boolean;
  issuer: { id: string; name: string | null } | null;
  /** Whether the issuer is this Attune (only our own credentials can be checked here). */
  ourIssuer: boolean;
  keyId: string | null;
  credentialId: string | null;
  name: string | null;
  holder: { id: string | null; name: string | null } | null;
  issuedAt: string | null;
  expiresAt: string | null;
  expired: boolean;
  /** From our status lists; null when not checked (a signature that failed, a status list not ours). */
  status: { revoked: boolean | null; suspended: boolean | null };
  errors: string[];
};
