// Recording rows for tests of the database blob store and uploads: a trainee with an open case, one session and
// consent to recording for assessment, made through the models.
import { getDb } from "#app/db.server";
import { attestConsent, createCase, recordSession } from "#app/models/case.server";
import { reserveUpload } from "#app/models/recording.server";
import { makeUser } from "./app";

export async function traineeWithSession({ consent = true, password }: { consent?: boolean; password?: string } = {}) {
  const trainee = await makeUser(["TRAINEE"], password ? { password } : {});
  const supervisor = await makeUser(["TRAINER"]);
  const db = getDb();
  const created = await createCase(db, {
    traineeId: trainee.id,
    supervisorId: supervisor.id,
    clientCode: `C-${Math.floor(Math.random() * 90000 + 10000)}`,
    startedOn: new Date("2026-10-01"),
  });
  if (!created.ok) throw new Error("no case");
  await recordSession(db, { caseId: created.id, number: 1, heldOn: new Date("2026-10-01"), phq9: 14, gad7: 9 });
  const session = await db.caseSession.findFirstOrThrow({ where: { caseId: created.id } });
  if (consent) {
    await attestConsent(db, {
      caseId: created.id,
      attestedById: trainee.id,
      consentOn: new Date("2026-10-01"),
      method: "WRITTEN_FORM",
      forSupervision: true,
      forAssessment: true,
    });
  }
  return { trainee, supervisor, caseId: created.id, sessionId: session.id };
}

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
