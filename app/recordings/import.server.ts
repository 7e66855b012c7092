/**
 * Stores a complete recording that is already at hand (the demo seed, tests,
 * command-line imports) through the same steps as an upload: reserved under a
 * current consent, encrypted into the configured store, checked from its
 * content, and made READY — or refused and destroyed.
 */
import { createHash } from "node:crypto";
import type { Db } from "#app/db.server";
import { unratedDeadline, uploadDeadline } from "#app/domain/retention";
import { SNIFF_BYTES, sniffMedia } from "#app/media/sniff.server";
import {
  completeUpload,
  rejectUpload,
  reserveUpload,
  setUploadKey,
  type UploadTarget,
  uploadTargetFor,
} from "#app/models/recording.server";
import { recordingKeyring, recordingStore, recordingStoreKind, retentionPolicy } from "#app/storage/config.server";
import { readRecording, writeRecording } from "#app/storage/recordings.server";

export async function importRecording(
  db: Db,
  input: { ownerId: string; target: UploadTarget; bytes: Buffer },
): Promise<{ ok: true; id: string } | { ok: false; error: string }> {
  const allowed = await uploadTargetFor(db, input.ownerId, input.target);
  if (!allowed.ok) return { ok: false, error: allowed.problem };
  const store = recordingStore();
  const keyring = recordingKeyring();
  const reserved = await reserveUpload(db, {
    ownerId: input.ownerId,
    kind: input.target.kind,
    caseSessionId: allowed.caseSessionId,
    consentId: allowed.consentId,
    declaredSize: input.bytes.length,
    store: recordingStoreKind(),
    deleteAfter: uploadDeadline(retentionPolicy(), new Date()),
  });
  const written = await writeRecording(
    store,
    keyring,
    reserved.id,
    (async function* () {
      yield input.bytes;
    })(),
  );
  await setUploadKey(db, reserved.id, { wrappedKey: written.wrappedKey.wrapped.toString("base64"), keyId: written.wrappedKey.keyId });
  try {
    const opened = await readRecording(store, keyring, reserved.id, written.wrappedKey);
    const info = await sniffMedia(input.bytes.subarray(0, SNIFF_BYTES), opened.body, input.bytes.length);
    await completeUpload(db, {
      id: reserved.id,
      ownerId: input.ownerId,
      mimeType: info.mime,
      hasVideo: info.hasVideo,
      durationSeconds: info.durationSeconds,
      sha256: createHash("sha256").update(input.bytes).digest("hex"),
      size: input.bytes.length,
      deleteAfter: unratedDeadline(retentionPolicy(), new Date()),
    });
    return { ok: true, id: reserved.id };
  } catch (error) {
    await store.delete(reserved.id);
    await rejectUpload(db, reserved.id, error instanceof Error ? error.message : "refused");
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
