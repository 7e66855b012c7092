// A trainee with an open training case, one session and (unless told otherwise) consent to recording for assessment,
// made through the case models: what every recordings test starts from.
import { getDb } from "#app/db.server";
import { attestConsent, createCase, recordSession } from "#app/models/case.server";
import { cookieFor, makeUser } from "./app";

export type TraineeScene = Awaited<ReturnType<typeof traineeWithSession>>;

export async function traineeWithSession({ consent = true, password }: { consent?: boolean; password?: string } = {}) {
  const trainee = await makeUser(["TRAINEE"], password ? { password } : {});
  const supervisor = await makeUser(["TRAINER"]);
  const db = getDb();
  const clientCode = `C-${Math.floor(Math.random() * 90000 + 10000)}`;
  const created = await createCase(db, {
    traineeId: trainee.id,
    supervisorId: supervisor.id,
    clientCode,
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
  return { trainee, supervisor, caseId: created.id, clientCode, sessionId: session.id, cookie: await cookieFor(trainee.id) };
}
