import type { AppLoadContext } from "@remix-run/node";
import { getPathway } from "#app/content.server/pathways.server";
import { buildOpenBadgeCredential, signCredentialDataIntegrity, signCredentialJwt } from "#app/credentials/open-badge.server";
import { getDb } from "#app/db.server";
import { normaliseCode } from "#app/domain/certificate-code";
import { linkTo } from "#app/mail/mailer.server";
import { verifyUrlFor } from "#app/models/certificate.server";
import { type CredentialSource, credentialSource, keepSignedCredential, type StoredCredential } from "#app/models/signed-credential.server";
import { countLookup } from "#app/verification/rate-limit.server";

/**
 * A certificate's signed Open Badges 3.0 credential (docs/verification.md, docs/credentials.md, ADR 0034), for the
 * credential routes. Signed lazily, once: the first request for either form signs both (wt-cred's
 * signCredentialDataIntegrity and signCredentialJwt) and keeps them (SignedCredential); every later request, on
 * any instance, serves the kept bytes. Status changes never touch it: the credential's two credentialStatus
 * entries point at the revocation and suspension lists, whose bits change instead.
 */

/**
 * The subject's id: the holder of this certificate, as the register names them (no account id leaves Attune);
 * `/register/<code>` answers with the certificate's verification page.
 */
export const holderIdFor = (appUrl: string, code: string) => linkTo(appUrl, `/register/${code}#holder`);

/** The achievement's id: the pathway and version the certificate was issued under (an identifier, not a page). */
export const achievementIdFor = (appUrl: string, pathwayId: string, version: number) =>
  linkTo(appUrl, `/pathways/${pathwayId}/v${version}`);

async function sign(source: CredentialSource, appUrl: string): Promise<StoredCredential> {
  const verifyUrl = verifyUrlFor(appUrl, source.code);
  // What the pathway says the credential means; if that version is no longer shipped, the certificate's own name.
  const described = getPathway(source.pathwayId, source.pathwayVersion)?.certificate;
  const credential = buildOpenBadgeCredential(
    {
      code: source.code,
      verifyUrl,
      holder: { id: holderIdFor(appUrl, source.code), name: source.holderName },
      achievement: {
        id: achievementIdFor(appUrl, source.pathwayId, source.pathwayVersion),
        name: source.credentialName,
        description: described?.description ?? source.credentialName,
        criteria: described?.criteria ?? `The requirements of the ${source.pathwayId} pathway, version ${source.pathwayVersion}.`,
      },
      issuedAt: source.issuedAt,
      expiresAt: source.expiresAt,
      status: { revocationIndex: source.revocationIndex, suspensionIndex: source.suspensionIndex },
      issuerName: source.issuerName,
    },
    { appUrl },
  );
  const [dataIntegrity, jwt] = await Promise.all([signCredentialDataIntegrity(credential, { appUrl }), signCredentialJwt(credential)]);
  return { dataIntegrity: JSON.stringify(dataIntegrity), jwt };
}

export type CredentialLookup =
  | { kind: "limited"; retryAfterSeconds: number }
  | { kind: "malformed" }
  | { kind: "unknown"; code: string }
  | { kind: "found"; credential: StoredCredential };

/** Counts the lookup (rate limit) and finds — or, the first time, signs and keeps — the code's credential. */
export async function lookUpCredential(context: Pick<AppLoadContext, "clientIp" | "appUrl">, input: string): Promise<CredentialLookup> {
  const code = normaliseCode(input);
  const db = getDb();
  const [rate, source] = await Promise.all([countLookup(context), code ? credentialSource(db, code) : Promise.resolve(null)]);
  if (!rate.allowed) return { kind: "limited", retryAfterSeconds: rate.retryAfterSeconds };
  if (!code) return { kind: "malformed" };
  if (!source) return { kind: "unknown", code };
  const credential = source.signedCredential ?? (await keepSignedCredential(db, source.id, await sign(source, context.appUrl)));
  return { kind: "found", credential };
}
