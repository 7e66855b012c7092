/**
 * The keys Attune signs credentials with (docs/credentials.md, ADR 0030):
 * - Ed25519, as a Multikey, for the embedded proof (DataIntegrityProof, cryptosuite eddsa-rdfc-2022) of Open Badges
 *   credentials and of the status lists;
 * - RSA-2048, for the VC-JWT form (compact JWS, RS256), published in /.well-known/jwks.json.
 *
 * Each key is one JSON object with a `kid`, when it was `created`, and when it was `retired` (null while it may
 * sign). Of each type, the newest key that is not retired signs; every key, retired or not, stays published, so a
 * credential signed years ago still verifies. A retired key keeps only its public half.
 *
 * Where they come from, in this order:
 * 1. CREDENTIAL_KEYS — a JSON array of key objects (e.g. from a secret store);
 * 2. CREDENTIAL_KEYS_DIR — a directory with one `<kid>.json` file per key (mode 0600; what `npm run
 *    keys:init-credentials` and `keys:rotate-credentials` write), or one JSON file holding the array;
 * 3. outside production, nothing configured: a demo directory, data/keys/credentials, made on first use.
 * Production with neither set refuses to start (checkCredentialKeys, called by the server before it listens).
 *
 * A directory is re-read when it or a key file in it changes (modification / change times), so a rotation on a
 * shared volume reaches every instance without a restart; inline keys are read once.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { z } from "zod";

export class CredentialKeyError extends Error {
  override readonly name = "CredentialKeyError";
}

/** Where the demo keys live (relative to the working directory), outside production only. */
export const DEMO_CREDENTIAL_KEYS_DIR = path.join("data", "keys", "credentials");
export const MULTIKEY_CONTEXT_URL = "https://w3id.org/security/multikey/v1";
const MIN_RSA_BITS = 2048;

const KID = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "kid must be 1–64 letters, digits, '.', '-' or '_'")
  .refine((kid) => kid !== "." && kid !== "..", "kid must not be . or ..");
const BASE58BTC = /^z[1-9A-HJ-NP-Za-km-z]+$/;
const B64URL = z.string().regex(/^[A-Za-z0-9_-]+$/);
const WHEN = z.iso.datetime({ offset: true });

const Ed25519KeySchema = z.object({
  kid: KID,
  type: z.literal("Ed25519"),
  created: WHEN,
  retired: WHEN.nullable().default(null),
  publicKeyMultibase: z.string().regex(/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/, "must be an Ed25519 Multikey (z6Mk…)"),
  secretKeyMultibase: z.string().regex(BASE58BTC).optional(),
});

const RsaPublicJwk = z.object({ kty: z.literal("RSA"), n: B64URL, e: B64URL });
const RsaKeySchema = z.object({
  kid: KID,
  type: z.literal("RSA"),
  created: WHEN,
  retired: WHEN.nullable().default(null),
  publicKeyJwk: RsaPublicJwk,
  privateKeyJwk: RsaPublicJwk.extend({ d: B64URL, p: B64URL, q: B64URL, dp: B64URL, dq: B64URL, qi: B64URL }).optional(),
});

export const CredentialKeySchema = z.discriminatedUnion("type", [Ed25519KeySchema, RsaKeySchema]);
export type CredentialKeyRecord = z.input<typeof CredentialKeySchema>;
type KeyRecord = z.output<typeof CredentialKeySchema>;

export type PublishedKey = { kid: string; created: Date; retired: Date | null /** the one of its type that signs */; active: boolean };
export type Ed25519PublicKey = PublishedKey & { publicKeyMultibase: string };
export type RsaPublicKey = PublishedKey & { publicKeyJwk: { kty: "RSA"; n: string; e: string } };
export type Ed25519Signer = Ed25519Multikey.Ed25519Signer;

export type SigningKeys = {
  source: "inline" | "directory" | "demo";
  /** Every Ed25519 key to publish, the active one first, then newest first. */
  ed25519: Ed25519PublicKey[];
  /** Every RSA key to publish (JWKS), the active one first, then newest first. */
  rsa: RsaPublicKey[];
  activeEd25519: Ed25519PublicKey;
  activeRsa: RsaPublicKey & { privateKey: KeyObject };
  /** A signer for @digitalbazaar/data-integrity with the active Ed25519 key, naming `verificationMethodId`. */
  ed25519Signer(verificationMethodId: string): Promise<Ed25519Signer>;
};

type Env = Record<string, string | undefined>;
export type LoadSigningKeysOptions = { env?: Env /** where demo keys are made (default data/keys/credentials) */; demoDir?: string };

// ———————————————————————————————————————— loading ————————————————————————————————————————

let cached: { fingerprint: string; keys: Promise<SigningKeys> } | undefined;
let demoKeysMade: Promise<string[]> | undefined;

/**
 * The signing keys of this process, from configuration (see the file comment). Cached; a key directory is re-read
 * when it changes. Throws CredentialKeyError naming what is wrong (never a key's secret).
 */
export async function loadSigningKeys(options: LoadSigningKeysOptions = {}): Promise<SigningKeys> {
  const source = keySource(options);
  if (source.kind === "demo") {
    demoKeysMade ??= ensureCredentialKeys(options.demoDir ?? DEMO_CREDENTIAL_KEYS_DIR).finally(() => {
      demoKeysMade = undefined;
    });
    await demoKeysMade;
  }
  const fingerprint = source.fingerprint();
  if (cached?.fingerprint !== fingerprint) {
    const keys = source.read().then((records) => buildKeys(records, source.kind));
    cached = { fingerprint, keys };
    // A failed read is not kept: the next call tries again (the operator may have fixed the directory meanwhile).
    keys.catch(() => {
      if (cached?.keys === keys) cached = undefined;
    });
  }
  return cached.keys;
}

/** Loads the keys now and throws if they are missing or broken: the server calls it before it listens. */
export async function checkCredentialKeys(options: LoadSigningKeysOptions = {}): Promise<void> {
  await loadSigningKeys(options);
}

type Source = { kind: SigningKeys["source"]; fingerprint: () => string; read: () => Promise<KeyRecord[]> };

function keySource({ env = process.env, demoDir = DEMO_CREDENTIAL_KEYS_DIR }: LoadSigningKeysOptions): Source {
  const inline = env.CREDENTIAL_KEYS?.trim();
  if (inline) {
    return { kind: "inline", fingerprint: () => `inline:${inline}`, read: async () => parseKeyList(inline, "CREDENTIAL_KEYS") };
  }
  const dir = env.CREDENTIAL_KEYS_DIR?.trim();
  if (dir) return directorySource(dir, "directory");
  if (env.NODE_ENV === "production") {
    throw new CredentialKeyError(
      "CREDENTIAL_KEYS_DIR or CREDENTIAL_KEYS must be set in production: create the keys with " +
        "`CREDENTIAL_KEYS_DIR=/path/to/keys npm run keys:init-credentials` (docs/credentials.md).",
    );
  }
  return directorySource(demoDir, "demo");
}

function directorySource(location: string, kind: "directory" | "demo"): Source {
  return {
    kind,
    fingerprint: () => {
      const stat = statSync(location, { bigint: true, throwIfNoEntry: false });
      if (!stat) throw new CredentialKeyError(`The credential key location ${location} does not exist.`);
      // A file's ctime moves with its content and its mode; the directory's mtime with files added or renamed.
      const files = stat.isDirectory() ? keyFilesIn(location).sort() : [];
      const changes = files.map(
        (name) => `${name}@${statSync(path.join(location, name), { bigint: true, throwIfNoEntry: false })?.ctimeNs}`,
      );
      return [kind, path.resolve(location), stat.mtimeNs, stat.ctimeNs, ...changes].join(":");
    },
    read: async () => readKeyLocation(location),
  };
}

/** The key records at a directory (one `*.json` file per key) or in one JSON file (an array of keys). */
export function readKeyLocation(location: string): KeyRecord[] {
  const stat = statSync(location, { throwIfNoEntry: false });
  if (!stat) throw new CredentialKeyError(`The credential key location ${location} does not exist.`);
  if (stat.isFile()) return parseKeyList(readPrivateFile(location), location);
  const files = readdirSync(location)
    .filter((name) => name.endsWith(".json"))
    .sort();
  if (files.length === 0) throw new CredentialKeyError(`${location} holds no credential keys (*.json): run npm run keys:init-credentials.`);
  return files.map((name) => {
    const file = path.join(location, name);
    const record = parseKeyRecord(parseJson(readPrivateFile(file), file), file);
    if (`${record.kid}.json` !== name) throw new CredentialKeyError(`${file} holds key "${record.kid}": name the file ${record.kid}.json.`);
    return record;
  });
}

/** A key file's text; refused when group or others may read it (it may hold a private key). */
function readPrivateFile(file: string): string {
  const mode = statSync(file).mode;
  if ((mode & 0o077) !== 0) throw new CredentialKeyError(`${file} can be read by other users: run chmod 600 on it.`);
  return readFileSync(file, "utf8");
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CredentialKeyError(`${where} is not valid JSON.`);
  }
}

function parseKeyList(text: string, where: string): KeyRecord[] {
  const value = parseJson(text, where);
  const list = Array.isArray(value) ? value : (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new CredentialKeyError(`${where} must hold a JSON array of keys (or { "keys": [...] }).`);
  return list.map((item, i) => parseKeyRecord(item, `${where} [${i}]`));
}

function parseKeyRecord(value: unknown, where: string): KeyRecord {
  const result = CredentialKeySchema.safeParse(value);
  if (result.success) return result.data;
  // Paths and messages only: never echo a value (it may be a private key).
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(key)"}: ${i.message}`).join("; ");
  throw new CredentialKeyError(`${where} is not a credential key: ${problems}`);
}

async function buildKeys(records: KeyRecord[], source: SigningKeys["source"]): Promise<SigningKeys> {
  const kids = new Set<string>();
  for (const r of records) {
    if (kids.has(r.kid)) throw new CredentialKeyError(`Credential key "${r.kid}" appears twice.`);
    kids.add(r.kid);
  }
  const edRecords = ordered(records.filter((r): r is Extract<KeyRecord, { type: "Ed25519" }> => r.type === "Ed25519"));
  const rsaRecords = ordered(records.filter((r): r is Extract<KeyRecord, { type: "RSA" }> => r.type === "RSA"));
  const edActive = activeOf(edRecords, "Ed25519");
  const rsaActive = activeOf(rsaRecords, "RSA");
  if (!edActive.secretKeyMultibase) throw new CredentialKeyError(`The active Ed25519 key "${edActive.kid}" has no secretKeyMultibase.`);
  if (!rsaActive.privateKeyJwk) throw new CredentialKeyError(`The active RSA key "${rsaActive.kid}" has no privateKeyJwk.`);

  // The active Ed25519 key must be a working pair: sign and verify once.
  const edPair = await Ed25519Multikey.from({
    "@context": MULTIKEY_CONTEXT_URL,
    type: "Multikey",
    publicKeyMultibase: edActive.publicKeyMultibase,
    secretKeyMultibase: edActive.secretKeyMultibase,
  }).catch(() => {
    throw new CredentialKeyError(`The Ed25519 key "${edActive.kid}" cannot be read.`);
  });
  for (const r of rsaRecords) rsaBits(r.publicKeyJwk.n, r.kid);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: rsaActive.privateKeyJwk, format: "jwk" });
  } catch {
    throw new CredentialKeyError(`The RSA key "${rsaActive.kid}" cannot be read.`);
  }
  const derived = createPublicKey(privateKey).export({ format: "jwk" });
  if (derived.n !== rsaActive.publicKeyJwk.n || derived.e !== rsaActive.publicKeyJwk.e) {
    throw new CredentialKeyError(`The RSA key "${rsaActive.kid}": its publicKeyJwk is not the public half of its privateKeyJwk.`);
  }

  const ed25519 = edRecords.map((r) => ({ ...published(r, edActive.kid), publicKeyMultibase: r.publicKeyMultibase }));
  const rsa = rsaRecords.map((r) => ({ ...published(r, rsaActive.kid), publicKeyJwk: r.publicKeyJwk }));
  const signers = new Map<string, Promise<Ed25519Signer>>();
  return {
    source,
    ed25519,
    rsa,
    activeEd25519: ed25519[0] as Ed25519PublicKey,
    activeRsa: { ...(rsa[0] as RsaPublicKey), privateKey },
    ed25519Signer(verificationMethodId) {
      let signer = signers.get(verificationMethodId);
      if (!signer) {
        signer = Ed25519Multikey.from({
          "@context": MULTIKEY_CONTEXT_URL,
          type: "Multikey",
          id: verificationMethodId,
          publicKeyMultibase: edPair.publicKeyMultibase,
          secretKeyMultibase: edActive.secretKeyMultibase,
        }).then((pair) => pair.signer());
        signers.set(verificationMethodId, signer);
      }
      return signer;
    },
  };
}

/** Active first (the newest not retired), then the others newest first. */
function ordered<T extends KeyRecord>(records: T[]): T[] {
  const byNewest = [...records].sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || b.kid.localeCompare(a.kid));
  const active = byNewest.find((r) => r.retired === null);
  return active ? [active, ...byNewest.filter((r) => r !== active)] : byNewest;
}

function activeOf<T extends KeyRecord>(records: T[], type: string): T {
  const active = records[0];
  if (!active || active.retired !== null) {
    throw new CredentialKeyError(`No ${type} credential key may sign (every one is retired, or there is none): rotate to make one.`);
  }
  return active;
}

function published(r: KeyRecord, activeKid: string): PublishedKey {
  return { kid: r.kid, created: new Date(r.created), retired: r.retired ? new Date(r.retired) : null, active: r.kid === activeKid };
}

function rsaBits(n: string, kid: string): number {
  const bytes = Buffer.from(n, "base64url");
  const bits = bytes.length * 8 - Math.clz32(bytes[0] ?? 0) + 24;
  if (bits < MIN_RSA_BITS) throw new CredentialKeyError(`The RSA key "${kid}" has ${bits} bits; at least ${MIN_RSA_BITS} are required.`);
  return bits;
}

// ———————————————————————————————————————— making and rotating ————————————————————————————————————————

/** A new key id: type, date and a random suffix, e.g. `ed25519-20261201-3fa29c`. */
function newKid(type: "ed25519" | "rsa", now: Date): string {
  return `${type}-${now.toISOString().slice(0, 10).replaceAll("-", "")}-${randomBytes(3).toString("hex")}`;
}

/** A fresh pair of keys (Ed25519 and RSA-2048), as records to store. */
export async function generateCredentialKeys(now = new Date()): Promise<CredentialKeyRecord[]> {
  const ed = await Ed25519Multikey.generate();
  const edExport = await ed.export({ publicKey: true, secretKey: true, includeContext: false });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: MIN_RSA_BITS, publicExponent: 0x10001 });
  const jwk = privateKey.export({ format: "jwk" }) as Required<Pick<JsonWebKey, "kty" | "n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qi">>;
  const created = now.toISOString();
  return [
    {
      kid: newKid("ed25519", now),
      type: "Ed25519",
      created,
      retired: null,
      publicKeyMultibase: edExport.publicKeyMultibase,
      secretKeyMultibase: edExport.secretKeyMultibase,
    },
    {
      kid: newKid("rsa", now),
      type: "RSA",
      created,
      retired: null,
      publicKeyJwk: { kty: "RSA", n: jwk.n, e: jwk.e },
      privateKeyJwk: { kty: "RSA", n: jwk.n, e: jwk.e, d: jwk.d, p: jwk.p, q: jwk.q, dp: jwk.dp, dq: jwk.dq, qi: jwk.qi },
    },
  ];
}

/** Writes one key file atomically (temporary file, then rename), mode 0600. */
function writeKeyFile(dir: string, record: CredentialKeyRecord): void {
  const file = path.join(dir, `${record.kid}.json`);
  const temp = path.join(dir, `.${record.kid}.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  renameSync(temp, file);
}

function keyFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith(".json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Makes the first pair of keys in `dir` (mode 0700) if it holds none; returns the kids made (empty when it already
 * had keys). `npm run keys:init-credentials` for production, `keys:demo` and first use for the demo. The keys are
 * written to a new directory beside `dir` and renamed into place, so two processes starting at once make one set.
 */
export async function ensureCredentialKeys(dir: string): Promise<string[]> {
  if (keyFilesIn(dir).length > 0) return [];
  const records = await generateCredentialKeys();
  const parent = path.dirname(path.resolve(dir));
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const staging = mkdtempSync(path.join(parent, `.${path.basename(dir)}-`));
  try {
    for (const record of records) writeKeyFile(staging, record);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    // Another process got there first: keep its keys.
    if ((code === "ENOTEMPTY" || code === "EEXIST") && keyFilesIn(dir).length > 0) return [];
    throw error;
  }
  return records.map((r) => r.kid);
}

export type Rotation = { created: string[]; retired: string[] };

/**
 * Rotation (`npm run keys:rotate-credentials`): a new Ed25519 and RSA key are written first — being the newest,
 * they sign from then on — and then each key that signed until now is rewritten as retired, without its private
 * half. Every public key stays, so what the old keys signed still verifies. A reader between the two steps sees a
 * valid set (the new keys sign; the old ones are still published).
 */
export async function rotateCredentialKeys(dir: string, now = new Date()): Promise<Rotation> {
  const existing = keyFilesIn(dir).length > 0 ? readKeyLocation(dir) : [];
  if (existing.length > 0 && !statSync(dir).isDirectory()) throw new CredentialKeyError(`${dir} must be a directory to rotate keys in it.`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Newer than every key there, so that it is the one that signs even if the clock reads the same millisecond.
  const latest = Math.max(now.getTime(), ...existing.map((r) => Date.parse(r.created) + 1));
  const fresh = await generateCredentialKeys(new Date(latest));
  for (const record of fresh) writeKeyFile(dir, record);
  const retired: string[] = [];
  for (const record of existing) {
    if (record.retired !== null) continue;
    const {
      secretKeyMultibase: _s,
      privateKeyJwk: _p,
      ...rest
    } = record as KeyRecord & { secretKeyMultibase?: string; privateKeyJwk?: unknown };
    writeKeyFile(dir, { ...rest, retired: now.toISOString() } as CredentialKeyRecord);
    retired.push(record.kid);
  }
  return { created: fresh.map((r) => r.kid), retired };
}
