/**
 * Open Badges 3.0 credentials (an OpenBadgeCredential in the W3C VC 2.0 data model) in the two forms 1EdTech's
 * conformance expects (docs/credentials.md, ADR 0029):
 * - embedded proof: DataIntegrityProof, cryptosuite eddsa-rdfc-2022 (signCredentialDataIntegrity);
 * - VC-JWT: a compact JWS, RS256, `kid` naming a key of /.well-known/jwks.json (signCredentialJwt).
 * Both carry two BitstringStatusListEntry statuses (revocation, suspension) pointing at our status lists, so a
 * suspension or revocation never changes the credential. verifyPresentedCredential checks either form offline,
 * against our own published keys and our own status lists only.
 */
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { compactVerify, decodeProtectedHeader, importJWK, SignJWT } from "jose";
import { z } from "zod";
import { MAX_PRESENTED_BYTES, type VerificationReport } from "#app/domain/credential-report";
import { statusListCredential } from "#app/models/status-list.server";
import { checkDataIntegrity, type JsonObject, signDataIntegrity } from "./data-integrity.server";
import {
  type CredentialOptions,
  DEFAULT_ISSUER_NAME,
  isStatusPurpose,
  issuerId,
  issuerProfile,
  JWKS_PATH,
  type StatusPurpose,
  statusListUrl,
  xsdDate,
} from "./issuer.server";
import { loadSigningKeys } from "./keys.server";

export const VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";
export const OB_V3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

const Uri = z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/i, "must be a URI (https://…, urn:uuid:…)");
const Index = z.number().int().min(0);

const CredentialInputSchema = z
  .object({
    code: z.string().min(1),
    verifyUrl: z.url({ protocol: /^https?$/ }),
    holder: z.object({ id: Uri, name: z.string().trim().min(1) }),
    achievement: z.object({
      id: Uri,
      name: z.string().trim().min(1),
      description: z.string().trim().min(1),
      criteria: z.string().trim().min(1),
    }),
    issuedAt: z.date(),
    expiresAt: z.date().nullable(),
    status: z.object({ revocationIndex: Index, suspensionIndex: Index }),
    /** The issuer's name in the credential (default "Attune"). */
    issuerName: z.string().trim().min(1).optional(),
  })
  .refine((i) => !i.expiresAt || i.expiresAt > i.issuedAt, { path: ["expiresAt"], message: "must be after issuedAt" });

export type CredentialInput = z.input<typeof CredentialInputSchema>;

export class CredentialInputError extends Error {
  override readonly name = "CredentialInputError";
}

/** A status entry of the credential: one bit of one of our lists. */
function statusEntry(purpose: StatusPurpose, index: number, options: CredentialOptions) {
  const list = statusListUrl(purpose, options);
  return {
    id: `${list}#${index}`,
    type: "BitstringStatusListEntry",
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: list,
  };
}

export type OpenBadgeCredential = JsonObject & {
  "@context": string[];
  id: string;
  type: string[];
  issuer: { id: string; type: string[]; name: string; url: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: JsonObject & { id: string };
};

/**
 * The unsigned OpenBadgeCredential for a certificate. Its id is the certificate's public verification URL; the
 * holder's name goes in an IdentityObject (OB 3.0 has no `name` on the subject); dates are to the second.
 * Throws CredentialInputError on bad input.
 */
export function buildOpenBadgeCredential(input: CredentialInput, options: CredentialOptions = {}): OpenBadgeCredential {
  const parsed = CredentialInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new CredentialInputError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  const i = parsed.data;
  return {
    "@context": [VC_V2_CONTEXT_URL, OB_V3_CONTEXT_URL],
    id: i.verifyUrl,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: i.achievement.name,
    description: i.achievement.description,
    issuer: issuerProfile(i.issuerName ?? DEFAULT_ISSUER_NAME, options),
    validFrom: xsdDate(i.issuedAt),
    ...(i.expiresAt ? { validUntil: xsdDate(i.expiresAt) } : {}),
    credentialSubject: {
      id: i.holder.id,
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", identityHash: i.holder.name, identityType: "name", hashed: false }],
      achievement: {
        id: i.achievement.id,
        type: ["Achievement"],
        achievementType: "Certification",
        name: i.achievement.name,
        description: i.achievement.description,
        criteria: { narrative: i.achievement.criteria },
      },
    },
    credentialStatus: [
      statusEntry("revocation", i.status.revocationIndex, options),
      statusEntry("suspension", i.status.suspensionIndex, options),
    ],
  };
}

/** The credential with an embedded DataIntegrityProof (eddsa-rdfc-2022) by the active Ed25519 key. */
export async function signCredentialDataIntegrity<T extends JsonObject>(credential: T, options: CredentialOptions = {}) {
  return signDataIntegrity(credential, options);
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * The credential as a VC-JWT (compact JWS, RS256) by the active RSA key. Header: alg, kid, typ "JWT" — nothing
 * else. Payload: the credential (without any embedded proof) plus the registered claims OB 3.0 asks for: iss
 * (issuer id), jti (credential id), sub (subject id), nbf (validFrom) and exp (validUntil, when it has one).
 */
export async function signCredentialJwt(credential: OpenBadgeCredential): Promise<string> {
  const keys = await loadSigningKeys();
  const { proof: _proof, ...claims } = credential;
  const payload: Record<string, unknown> = {
    ...claims,
    iss: credential.issuer.id,
    jti: credential.id,
    sub: credential.credentialSubject.id,
    nbf: seconds(credential.validFrom),
    ...(credential.validUntil ? { exp: seconds(credential.validUntil) } : {}),
  };
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: keys.activeRsa.kid, typ: "JWT" }).sign(keys.activeRsa.privateKey);
}

// ———————————————————————————————————————— verification ————————————————————————————————————————

export { MAX_PRESENTED_BYTES, type VerificationReport };

const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Checks a credential pasted or uploaded by anyone — JSON with an embedded proof, or a VC-JWT — against our own
 * published keys and our own status lists, without any network access. Never throws for bad input: every problem
 * is in `errors`.
 */
export async function verifyPresentedCredential(
  text: string,
  options: CredentialOptions & { now?: Date } = {},
): Promise<VerificationReport> {
  const now = options.now ?? new Date();
  const report: VerificationReport = {
    form: "unknown",
    signatureValid: false,
    valid: false,
    issuer: null,
    ourIssuer: false,
    keyId: null,
    credentialId: null,
    name: null,
    holder: null,
    issuedAt: null,
    expiresAt: null,
    expired: false,
    status: { revoked: null, suspended: null },
    errors: [],
  };
  const trimmed = text.trim();
  if (Buffer.byteLength(trimmed, "utf8") > MAX_PRESENTED_BYTES) {
    report.errors.push(`That is larger than ${MAX_PRESENTED_BYTES / 1024} KiB: not one of our credentials.`);
    return report;
  }
  if (trimmed === "") {
    report.errors.push("Paste a credential (JSON, or a JWT) or choose a file.");
    return report;
  }
  let credential: JsonObject | null = null;
  if (trimmed.startsWith("{")) {
    report.form = "data-integrity";
    credential = await checkEmbedded(trimmed, report, now, options);
  } else if (JWT_PATTERN.test(trimmed)) {
    report.form = "jwt";
    credential = await checkJwt(trimmed, report);
  } else {
    report.errors.push("This is neither JSON nor a JWT (three base64url parts separated by dots).");
    return report;
  }
  if (!credential) return report;
  describe(credential, report, now, options);
  if (report.signatureValid && report.ourIssuer) await checkStatuses(credential, report, options);
  report.valid =
    report.signatureValid &&
    report.ourIssuer &&
    !report.expired &&
    report.status.revoked === false &&
    report.status.suspended === false &&
    report.errors.length === 0;
  return report;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function checkEmbedded(text: string, report: VerificationReport, now: Date, options: CredentialOptions): Promise<JsonObject | null> {
  let credential: unknown;
  try {
    credential = JSON.parse(text);
  } catch {
    report.errors.push("This is not valid JSON.");
    return null;
  }
  if (!isObject(credential)) {
    report.errors.push("The JSON is not a credential (an object).");
    return null;
  }
  const proof = credential.proof;
  const proofs = (Array.isArray(proof) ? proof : [proof]).filter(isObject);
  const method = proofs.map((p) => p.verificationMethod).find((m): m is string => typeof m === "string");
  if (method?.startsWith(`${issuerId(options)}#`)) report.keyId = method.slice(issuerId(options).length + 1);
  if (proofs.length === 0) {
    report.errors.push("The credential has no embedded proof.");
    return credential;
  }
  // Judge the signature alone: at the credential's own validFrom (expiry is reported separately).
  const from = typeof credential.validFrom === "string" ? new Date(credential.validFrom) : now;
  const at = Number.isNaN(from.getTime()) ? now : from;
  try {
    const check = await checkDataIntegrity(credential, at, options);
    report.signatureValid = check.valid;
    if (!check.valid) report.errors.push(...check.errors.map((e) => `Signature: ${e}`));
  } catch (error) {
    report.errors.push(`Signature: ${(error as Error).message}`);
  }
  return credential;
}

async function checkJwt(text: string, report: VerificationReport): Promise<JsonObject | null> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(text);
  } catch {
    report.errors.push("The JWT header cannot be read.");
    return null;
  }
  report.keyId = typeof header.kid === "string" ? header.kid : null;
  const payload = decodePayload(text);
  if (!payload) {
    report.errors.push("The JWT payload is not a JSON object.");
    return null;
  }
  if (header.alg !== "RS256") report.errors.push(`Signature: algorithm ${String(header.alg)} is not accepted (RS256 only).`);
  const keys = await loadSigningKeys();
  const key = keys.rsa.find((k) => k.kid === header.kid);
  if (!key) report.errors.push(`Signature: key "${String(header.kid)}" is not one of this Attune's keys (${JWKS_PATH}).`);
  if (key && header.alg === "RS256") {
    try {
      await compactVerify(text, await importJWK({ ...key.publicKeyJwk, alg: "RS256" }, "RS256"), { algorithms: ["RS256"] });
      report.signatureValid = true;
    } catch {
      report.errors.push("Signature: the JWT signature does not verify.");
    }
  }
  // The registered claims must say what the credential says.
  const claims: [string, unknown, unknown][] = [
    ["iss", payload.iss, isObject(payload.issuer) ? payload.issuer.id : payload.issuer],
    ["jti", payload.jti, payload.id],
    ["sub", payload.sub, isObject(payload.credentialSubject) ? payload.credentialSubject.id : undefined],
    ["nbf", payload.nbf, typeof payload.validFrom === "string" ? seconds(payload.validFrom) : undefined],
    ["exp", payload.exp, typeof payload.validUntil === "string" ? seconds(payload.validUntil) : undefined],
  ];
  for (const [claim, value, expected] of claims) {
    if (value !== expected) report.errors.push(`The JWT claim ${claim} does not match the credential.`);
  }
  const { iss: _iss, jti: _jti, sub: _sub, nbf: _nbf, exp: _exp, iat: _iat, ...credential } = payload;
  return credential;
}

function decodePayload(jwt: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/** Fills the report's description of the credential: issuer, holder, dates, expiry. */
function describe(credential: JsonObject, report: VerificationReport, now: Date, options: CredentialOptions): void {
  const issuer = credential.issuer;
  const id = isObject(issuer) ? text(issuer.id) : text(issuer);
  if (id) report.issuer = { id, name: isObject(issuer) ? text(issuer.name) : null };
  report.ourIssuer = id === issuerId(options);
  if (id && !report.ourIssuer) {
    report.errors.push(`Issued by ${id}, not by this Attune (${issuerId(options)}): only its own credentials can be checked here.`);
  }
  if (!id) report.errors.push("The credential names no issuer.");
  report.credentialId = text(credential.id);
  report.name = text(credential.name);
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : null;
  if (subject) {
    const identifiers = Array.isArray(subject.identifier) ? subject.identifier.filter(isObject) : [];
    const name = identifiers.find((x) => x.identityType === "name" && x.hashed === false);
    report.holder = { id: text(subject.id), name: name ? text(name.identityHash) : null };
    if (!report.name && isObject(subject.achievement)) report.name = text(subject.achievement.name);
  }
  report.issuedAt = text(credential.validFrom);
  report.expiresAt = text(credential.validUntil);
  if (report.expiresAt) {
    const until = Date.parse(report.expiresAt);
    report.expired = Number.isNaN(until) || until < now.getTime();
  }
  if (report.issuedAt && Date.parse(report.issuedAt) > now.getTime() + 5 * 60_000) {
    report.errors.push(`The credential is not valid until ${report.issuedAt}.`);
  }
}

/** Reads each BitstringStatusListEntry's bit from our own signed status lists (never fetched). */
async function checkStatuses(credential: JsonObject, report: VerificationReport, options: CredentialOptions): Promise<void> {
  const raw = credential.credentialStatus;
  const entries = (Array.isArray(raw) ? raw : [raw]).filter(isObject).filter((e) => e.type === "BitstringStatusListEntry");
  const seen = new Set<StatusPurpose>();
  for (const entry of entries) {
    const purpose = entry.statusPurpose;
    const index = Number(entry.statusListIndex);
    if (!isStatusPurpose(purpose) || entry.statusListCredential !== statusListUrl(purpose, options)) {
      report.errors.push(`Status list ${String(entry.statusListCredential)} is not one of this Attune's: not checked.`);
      continue;
    }
    if (!Number.isInteger(index) || index < 0) {
      report.errors.push(`The ${purpose} status index is not a number.`);
      continue;
    }
    const list = await decodeList({ encodedList: (await statusListCredential(purpose, options)).credentialSubject.encodedList });
    if (index >= list.length) {
      report.errors.push(`The ${purpose} status index is outside the list.`);
      continue;
    }
    const on = list.getStatus(index);
    if (purpose === "revocation") report.status.revoked = on;
    else report.status.suspended = on;
    seen.add(purpose);
  }
  for (const purpose of ["revocation", "suspension"] as const) {
    if (!seen.has(purpose)) report.errors.push(`The credential has no ${purpose} status entry of ours.`);
  }
}
