import type { DbTx } from "#app/db.server";
import { normaliseCode } from "#app/domain/certificate-code";

/**
 * Signed credentials, kept once signed (ADR 0034): a certificate's credential is signed on its first request, in
 * both forms, and served from here ever after — it never changes when the status does (the status lists do).
 */

export type StoredCredential = { dataIntegrity: string; jwt: string };

/** What a credential is built from, and the stored signed forms if there are any yet. */
export async function credentialSource(db: DbTx, code: string) {
  const canonical = normaliseCode(code);
  if (!canonical) return null;
  return db.certificate.findUnique({
    where: { code: canonical },
    select: {
      id: true,
      code: true,
      holderName: true,
      credentialName: true,
      issuerName: true,
      pathwayId: true,
      pathwayVersion: true,
      issuedAt: true,
      expiresAt: true,
      revocationIndex: true,
      suspensionIndex: true,
      signedCredential: { select: { dataIntegrity: true, jwt: true } },
    },
  });
}

export type CredentialSource = NonNullable<Awaited<ReturnType<typeof credentialSource>>>;

/**
 * Keeps the signed forms of a certificate's credential, unless another request (on this or another instance)
 * kept its own first: then that one is returned, so every client gets the same bytes.
 */
export async function keepSignedCredential(db: DbTx, certificateId: string, signed: StoredCredential): Promise<StoredCredential> {
  try {
    return await db.signedCredential.create({ data: { certificateId, ...signed }, select: { dataIntegrity: true, jwt: true } });
  } catch (error) {
    const kept = await db.signedCredential.findUnique({ where: { certificateId }, select: { dataIntegrity: true, jwt: true } });
    if (kept) return kept;
    throw error;
  }
}
