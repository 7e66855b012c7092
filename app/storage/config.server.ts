/**
 * The recording store and keyring this process uses, chosen by configuration
 * (RECORDING_STORE, RECORDINGS_DIR, RECORDING_MASTER_KEYS…), made once.
 */
import { getDb } from "#app/db.server";
import { DEFAULT_RETENTION, type RetentionPolicy } from "#app/domain/retention";
import { env } from "#app/env.server";
import { type BlobStore, FileBlobStore } from "#app/storage/blob-store.server";
import { DbBlobStore } from "#app/storage/db-blob-store.server";
import { type Keyring, loadKeyring } from "#app/storage/keys.server";

let store: BlobStore | undefined;
let caseStudies: BlobStore | undefined;
let keyring: Keyring | undefined;

export function recordingStore(): BlobStore {
  if (!store) {
    const settings = env();
    store = settings.RECORDING_STORE === "db" ? new DbBlobStore(getDb()) : new FileBlobStore(settings.RECORDINGS_DIR);
  }
  return store;
}

/**
 * Where encrypted case-study documents live (CASE_STUDIES_DIR): a filesystem store of their own, never the
 * recordings' folder (whose purge would take a folder it does not know for an abandoned upload). The same keyring.
 */
export function caseStudyStore(): BlobStore {
  caseStudies ??= new FileBlobStore(env().CASE_STUDIES_DIR);
  return caseStudies;
}

/** The store's name as kept on each Recording row ("fs" | "db"). */
export function recordingStoreKind(): "fs" | "db" {
  return env().RECORDING_STORE;
}

export function recordingKeyring(): Keyring {
  keyring ??= loadKeyring({ env: process.env });
  return keyring;
}

export function retentionPolicy(): RetentionPolicy {
  const s = env();
  return {
    ...DEFAULT_RETENTION,
    keepDaysAfterFinal: s.RECORDING_KEEP_DAYS_AFTER_FINAL,
    maxUnratedDays: s.RECORDING_MAX_UNRATED_DAYS,
    uploadExpiryHours: s.UPLOAD_EXPIRY_HOURS,
  };
}
