// Recording rows for tests of the database blob store and uploads: a trainee with an open case, one session and
// consent to recording for assessment, made through the models.
import { getDb } from "#app/db.server";
import { reserveUpload } from "#app/models/recording.server";
import { traineeWithSession } from "./case-fixtures";

export { traineeWithSession };

/** A new UPLOADING Recording row of that trainee's session (what the upload gate reserves); its id names the blob. */
export async function reservedRecording(owner: { trainee: { id: string }; caseId: string; sessionId: string }, store: "fs" | "db") {
  const db = getDb();
  const consent = await db.consentAttestation.findFirstOrThrow({ where: { caseId: owner.caseId } });
  const { id } = await reserveUpload(db, {
    ownerId: owner.trainee.id,
    kind: "CASE_SESSION",
    caseSessionId: owner.sessionId,
    consentId: consent.id,
    declaredSize: 1,
    store,
    deleteAfter: new Date(Date.now() + 86_400_000),
  });
  return id;
}
