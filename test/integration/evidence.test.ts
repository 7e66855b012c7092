import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { makeUser } from "../support/app";
import { giveEvidence, readEvidence, unauditedUser } from "../support/evidence";

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  return JSON.stringify(error) + String(error);
}

describe("evidence is never lost (Restrict, not Cascade)", () => {
  it("deleting a person with quiz attempts, marks, progress and cohort history fails, and every row is intact", async () => {
    const db = getDb();
    const trainee = await unauditedUser("trainee");
    const trainer = await unauditedUser("trainer");
    const evidence = await giveEvidence(trainee.id, trainer.id);
    // Not the audit trigger (neither has an audit event): the foreign keys refuse.
    expect(await refusal(db.user.delete({ where: { id: trainee.id } }))).toMatch(/foreign key/i);
    expect(await refusal(db.user.delete({ where: { id: trainer.id } }))).toMatch(/foreign key/i);
    expect(await readEvidence(evidence)).toEqual(evidence);
    expect(await db.user.count({ where: { id: { in: [trainee.id, trainer.id] } } })).toBe(2);
  });

  it("an attempt with marks cannot be deleted, nor a cohort with members", async () => {
    const db = getDb();
    const trainee = await unauditedUser("trainee");
    const trainer = await unauditedUser("trainer");
    const evidence = await giveEvidence(trainee.id, trainer.id);
    await refusal(db.quizAttempt.delete({ where: { id: evidence.attempt.id } }));
    await refusal(db.cohort.delete({ where: { id: evidence.cohort.id } }));
    expect(await readEvidence(evidence)).toEqual(evidence);
  });

  it("a person the audit log names cannot be deleted, even with no other evidence", async () => {
    const db = getDb();
    const person = await makeUser(["TRAINEE"]); // writes user.created about them
    expect(await db.auditEvent.count({ where: { subjectId: person.id } })).toBe(1);
    expect(await refusal(db.user.delete({ where: { id: person.id } }))).toMatch(/audit log/);
    expect(await db.user.count({ where: { id: person.id } })).toBe(1);
  });

  it("sessions, one-time links and roles still go with a person who has no evidence at all", async () => {
    const db = getDb();
    const tag = randomBytes(4).toString("hex");
    const user = await db.user.create({
      data: {
        email: `no-evidence-${tag}@example.test`,
        name: "No evidence",
        roles: { create: [{ role: "TRAINEE" }] },
        sessions: { create: [{ id: `s-${tag}`, expiresAt: new Date(Date.now() + 3_600_000) }] },
        tokens: { create: [{ tokenHash: `t-${tag}`, purpose: "INVITATION", expiresAt: new Date(Date.now() + 3_600_000) }] },
      },
    });
    await db.user.delete({ where: { id: user.id } });
    expect(await db.userRole.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.accountToken.count({ where: { userId: user.id } })).toBe(0);
  });
});
