/**
 * Envelope keys for recordings (ADR 0018). Each recording has its own random
 * data key (format.server.ts); a master key wraps it with AES-256-GCM, and only
 * the wrapped form (60 bytes: IV ‖ ciphertext ‖ tag) is stored, beside — never
 * inside — the blob. Deleting the wrapped key is crypto-shredding: the chunks,
 * and every backup of them, can no longer be read by anyone.
 *
 * The wrap binds the master key id and the recording id as AAD, so a wrapped key
 * cannot be moved to another recording or relabelled with another key id.
 *
 * Master keys come from RECORDING_MASTER_KEYS ("kid:base64key,kid2:base64key",
 * each key 32 random bytes, e.g. `openssl rand -base64 32`) with the current one
 * named by RECORDING_CURRENT_KEY_ID (required when there are several). The
 * others stay for reading until every data key has been re-wrapped (`rewrap`).
 * Outside production, when nothing is configured, a demo key is created once
 * under data/keys/ (mode 0600) — production refuses to start without keys.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RecordingError } from "#app/storage/errors.server";
import { assertRecordingId, DATA_KEY_BYTES, KEY_ID_PATTERN } from "#app/storage/format.server";

const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const WRAPPED_KEY_BYTES = IV_BYTES + DATA_KEY_BYTES + TAG_BYTES;
const WRAP_CONTEXT = "attune/recording-data-key/v1";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type WrappedKey = { keyId: string; wrapped: Buffer };

export type KeyringSource = "config" | "demo-file";

export class Keyring {
  readonly #keys: Map<string, KeyObject>;

  private constructor(
    keys: Map<string, KeyObject>,
    readonly currentId: string,
    readonly source: KeyringSource,
  ) {
    this.#keys = keys;
  }

  /** Builds a keyring from raw master keys; `currentId` wraps new data keys, all of them unwrap. */
  static fromKeys(keys: ReadonlyArray<{ id: string; secret: Uint8Array }>, currentId: string, source: KeyringSource = "config"): Keyring {
    const map = new Map<string, KeyObject>();
    for (const { id, secret } of keys) {
      if (!KEY_ID_PATTERN.test(id))
        throw new RecordingError("config", `Master key id "${id}" must be 1–64 letters, digits, '.', '-' or '_'.`);
      if (map.has(id)) throw new RecordingError("config", `Master key id "${id}" appears twice.`);
      if (secret.length !== MASTER_KEY_BYTES)
        throw new RecordingError("config", `Master key "${id}" must be 32 bytes (base64 of 32 random bytes).`);
      map.set(id, createSecretKey(secret));
    }
    if (!map.has(currentId)) throw new RecordingError("config", `The current master key "${currentId}" is not among the configured keys.`);
    return new Keyring(map, currentId, source);
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** Wraps a recording's data key under the current master key. */
  wrap(dataKey: Uint8Array, recordingId: string): WrappedKey {
    assertRecordingId(recordingId);
    if (dataKey.length !== DATA_KEY_BYTES) throw new RecordingError("key", "A data key must be 32 bytes.");
    const keyId = this.currentId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#master(keyId), iv);
    cipher.setAAD(wrapAad(keyId, recordingId));
    const wrapped = Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return { keyId, wrapped };
  }

  /** Unwraps a data key; an unknown key id, another recording's key or a damaged one → RecordingError("key"). */
  unwrap(key: WrappedKey, recordingId: string): Buffer {
    assertRecordingId(recordingId);
    const master = this.#master(key.keyId);
    if (key.wrapped.length !== WRAPPED_KEY_BYTES) throw new RecordingError("key", "A wrapped data key must be 60 bytes.");
    const decipher = createDecipheriv("aes-256-gcm", master, key.wrapped.subarray(0, IV_BYTES));
    decipher.setAAD(wrapAad(key.keyId, recordingId));
    decipher.setAuthTag(key.wrapped.subarray(IV_BYTES + DATA_KEY_BYTES));
    try {
      return Buffer.concat([decipher.update(key.wrapped.subarray(IV_BYTES, IV_BYTES + DATA_KEY_BYTES)), decipher.final()]);
    } catch {
      throw new RecordingError("key", `The data key of recording ${recordingId} does not unwrap with master key "${key.keyId}".`);
    }
  }

  /** Re-wraps a data key under the current master key (key rotation); the chunks stay as they are. */
  rewrap(key: WrappedKey, recordingId: string): WrappedKey {
    return this.wrap(this.unwrap(key, recordingId), recordingId);
  }

  #master(keyId: string): KeyObject {
    const master = this.#keys.get(keyId);
    if (!master) throw new RecordingError("key", `Master key "${keyId}" is not in the keyring.`);
    return master;
  }
}

function wrapAad(keyId: string, recordingId: string): Buffer {
  return Buffer.from(`${WRAP_CONTEXT}\0${keyId}\0${recordingId}`, "utf8");
}

/** Parses "kid:base64key,kid2:base64key"; the current key is `currentId`, or the only key when there is one. */
export function parseMasterKeys(value: string, currentId: string | undefined, source: KeyringSource = "config"): Keyring {
  const entries = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (entries.length === 0) throw new RecordingError("config", "RECORDING_MASTER_KEYS holds no keys.");
  const keys = entries.map((entry) => {
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new RecordingError("config", 'Each RECORDING_MASTER_KEYS entry must look like "kid:base64key".');
    const id = entry.slice(0, colon);
    const b64 = entry.slice(colon + 1);
    if (!BASE64.test(b64)) throw new RecordingError("config", `Master key "${id}" is not base64.`);
    return { id, secret: Buffer.from(b64, "base64") };
  });
  const onlyId = keys.length === 1 ? keys[0]?.id : undefined;
  const current = currentId ?? onlyId;
  if (!current) throw new RecordingError("config", "RECORDING_CURRENT_KEY_ID must name the current key when there are several.");
  return Keyring.fromKeys(keys, current, source);
}

export type LoadKeyringOptions = {
  env?: Record<string, string | undefined>;
  /** Where the demo key lives outside production (default data/keys). */
  keysDir?: string;
};

export const DEMO_KEY_FILE = "recording-master-keys";

/**
 * The keyring from configuration; outside production without configuration, the
 * demo key under `keysDir` (created on first use, mode 0600, refused if others can read it).
 */
export function loadKeyring(options: LoadKeyringOptions = {}): Keyring {
  const env = options.env ?? process.env;
  const configured = env.RECORDING_MASTER_KEYS?.trim();
  const currentId = env.RECORDING_CURRENT_KEY_ID?.trim() || undefined;
  if (configured) return parseMasterKeys(configured, currentId);
  const keysFile = env.RECORDING_KEYS_FILE?.trim();
  if (keysFile) return parseMasterKeys(readPrivateFile(keysFile), currentId, "config");
  if (env.NODE_ENV === "production") {
    throw new RecordingError(
      "config",
      "RECORDING_MASTER_KEYS or RECORDING_KEYS_FILE must be set in production (see docs/decisions/0018-recording-encryption.md).",
    );
  }
  const file = ensureDemoKeyFile(options.keysDir);
  return parseMasterKeys(readPrivateFile(file), undefined, "demo-file");
}

/** A key file's text; refused when it is missing or group- or world-readable. */
function readPrivateFile(file: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new RecordingError("config", `The recording key file ${file} does not exist.`);
  }
  if ((mode & 0o077) !== 0) throw new RecordingError("config", `${file} can be read by other users: run chmod 600 on it.`);
  return readFileSync(file, "utf8");
}

/**
 * Creates the demo master key file (mode 0600) if it does not exist yet, and
 * returns its path: what `npm start` serves the demo with (RECORDING_KEYS_FILE).
 * Never for real patient data.
 */
export function ensureDemoKeyFile(keysDir = path.join("data", "keys")): string {
  const file = path.join(keysDir, DEMO_KEY_FILE);
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  try {
    const line = `demo-${randomBytes(4).toString("hex")}:${randomBytes(MASTER_KEY_BYTES).toString("base64")}\n`;
    writeFileSync(file, line, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return file;
}
