/**
 * Case-study documents in and out of storage. A document is encrypted as it
 * streams in — the same format, envelope keys and blob-store interface as a
 * recording (app/storage/, ADR 0018), in a store of its own (CASE_STUDIES_DIR)
 * — then read back through the decryptor to check what it really is (PDF,
 * DOCX, ODT or plain text: app/media/document.server.ts). A refused document is
 * deleted at once. Plaintext never touches disk and is never held whole in memory.
 */
import { randomBytes } from "node:crypto";
import type { DocumentType } from "#app/domain/case-study-rules";
import { env } from "#app/env.server";
import { DocumentRejected, detectDocument, limitBytes } from "#app/media/document.server";
import type { StoredDocument } from "#app/models/case-study.server";
import { caseStudyStore, recordingKeyring } from "#app/storage/config.server";
import { readRecording, writeRecording } from "#app/storage/recordings.server";

/** A fresh id for a case study and its blob: "cs_" + 128 random bits (never the shape of a recording's cuid). */
export function newCaseStudyId(): string {
  return `cs_${randomBytes(16).toString("base64url")}`;
}

/**
 * Encrypts `source` into the case-study store under a new id, checks it is a document we accept and no larger
 * than CASE_STUDY_MAX_BYTES (while it arrives), and returns what the row keeps. Throws DocumentRejected (nothing
 * kept) for a refused file; other errors also leave nothing behind.
 */
export async function storeCaseStudyDocument(source: AsyncIterable<Uint8Array>): Promise<StoredDocument & { type: DocumentType }> {
  const settings = env();
  const store = caseStudyStore();
  const keyring = recordingKeyring();
  const id = newCaseStudyId();
  const written = await writeRecording(store, keyring, id, limitBytes(source, settings.CASE_STUDY_MAX_BYTES), {
    chunkSize: settings.RECORDING_CHUNK_BYTES,
  });
  try {
    if (written.manifest.size === 0) throw new DocumentRejected("empty", "This file is empty: choose the document again.");
    const type = await detectDocument(async () => (await readRecording(store, keyring, id, written.wrappedKey)).body);
    return {
      id,
      store: "fs",
      mimeType: type.mime,
      sizeBytes: written.manifest.size,
      sha256: written.manifest.sha256,
      wrappedKey: written.wrappedKey.wrapped.toString("base64"),
      keyId: written.wrappedKey.keyId,
      type,
    };
  } catch (error) {
    await store.delete(id);
    throw error;
  }
}

/** Removes a stored document that no row will point at (its submission was refused after the upload). */
export async function discardCaseStudyDocument(id: string): Promise<void> {
  await caseStudyStore().delete(id);
}

/** Opens a stored document for streaming: its size and an authenticated plaintext body. */
export async function openCaseStudyDocument(row: { id: string; wrappedKey: string; keyId: string }) {
  const wrappedKey = { keyId: row.keyId, wrapped: Buffer.from(row.wrappedKey, "base64") };
  return readRecording(caseStudyStore(), recordingKeyring(), row.id, wrappedKey);
}
