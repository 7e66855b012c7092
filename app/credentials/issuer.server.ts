/**
 * Who Attune is in its credentials, and where its public keys are published. Every id is built from the app's
 * public base URL (APP_URL, else http://localhost:PORT — what routes get as `context.appUrl`), never from a
 * request's headers. A credential carries these ids for life, so APP_URL must not change once credentials are out.
 *
 * - issuer / controller document: `<base>/issuers/attune` (GET it: a controller document listing every Ed25519
 *   verification method, current and retired, as Multikeys, each one an assertionMethod);
 * - verification method of an Ed25519 key: `<base>/issuers/attune#<kid>`;
 * - RS256 keys: `<base>/.well-known/jwks.json`;
 * - status lists: `<base>/api/v1/status-lists/revocation` and `…/suspension`.
 */
import { env, publicBaseUrl } from "#app/env.server";
import { MULTIKEY_CONTEXT_URL, type SigningKeys } from "./keys.server";

export const ISSUER_PATH = "/issuers/attune";
export const JWKS_PATH = "/.well-known/jwks.json";
export const DID_CONTEXT_URL = "https://www.w3.org/ns/did/v1";
export const STATUS_PURPOSES = ["revocation", "suspension"] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];
/** The issuer's display name in credentials when the caller names none. */
export const DEFAULT_ISSUER_NAME = "Attune";

/** Options every credential function takes: the public base URL (pass `context.appUrl` from a route). */
export type CredentialOptions = { appUrl?: string };

/** The base URL without a trailing slash: the one given, else APP_URL, else http://localhost:PORT. */
export function credentialBaseUrl(options: CredentialOptions = {}): string {
  return (options.appUrl || publicBaseUrl(env())).replace(/\/+$/, "");
}

export function issuerId(options: CredentialOptions = {}): string {
  return `${credentialBaseUrl(options)}${ISSUER_PATH}`;
}

export function verificationMethodId(kid: string, options: CredentialOptions = {}): string {
  return `${issuerId(options)}#${kid}`;
}

export function statusListUrl(purpose: StatusPurpose, options: CredentialOptions = {}): string {
  return `${credentialBaseUrl(options)}/api/v1/status-lists/${purpose}`;
}

export function isStatusPurpose(value: unknown): value is StatusPurpose {
  return (STATUS_PURPOSES as readonly unknown[]).includes(value);
}

/** The Open Badges Profile of the issuer, as it appears in each credential. */
export function issuerProfile(name = DEFAULT_ISSUER_NAME, options: CredentialOptions = {}) {
  return { id: issuerId(options), type: ["Profile"], name, url: credentialBaseUrl(options) };
}

/** One Ed25519 key as a Multikey verification method of the issuer. */
export function verificationMethod(key: SigningKeys["ed25519"][number], options: CredentialOptions = {}) {
  return {
    id: verificationMethodId(key.kid, options),
    type: "Multikey",
    controller: issuerId(options),
    publicKeyMultibase: key.publicKeyMultibase,
  };
}

/**
 * The issuer's controller document: every Ed25519 key (the one that signs now and the retired ones, so that older
 * credentials still verify), each authorised for assertions. The DID v1 context defines verificationMethod and
 * assertionMethod, the Multikey context the key terms; both are bundled in our document loader.
 */
export function controllerDocument(keys: SigningKeys, options: CredentialOptions = {}) {
  const methods = keys.ed25519.map((key) => verificationMethod(key, options));
  return {
    "@context": [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL],
    id: issuerId(options),
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

/** The RS256 public keys, current and retired, as a JWK Set. */
export function jwks(keys: SigningKeys) {
  return {
    keys: keys.rsa.map((key) => ({ ...key.publicKeyJwk, kid: key.kid, alg: "RS256", use: "sig" })),
  };
}

/** An XSD dateTimeStamp to the second, e.g. 2026-12-01T10:00:00Z (what validFrom / validUntil carry). */
export function xsdDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
