// Issuing a certificate: the certification queue, the server-side re-evaluation at issue time, and the one
// transaction that writes the certificate, its snapshots, its status-list indexes, its ISSUED event and its audit
// event. The trainee comes from test/support/pathway-world.ts (every step of the fixture pathway met).
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { sha256Hex } from "#app/domain/certificate-snapshot";
import { setCaseStatus } from "#app/models/case.server";
import { certificationQueue, issueCertificate } from "#app/models/certificate.server";
import * as queueList from "#app/routes/admin.certificates.queue._index";
import * as queuePage from "#app/routes/admin.certificates.queue.$userId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import "../support/fixture-course";
import { completeTrainee } from "../support/pathway-world";

const db = () => getDb();

async function registered() {
  const world = await completeTrainee();
  await db().user.update({
    where: { id: world.trainee.id },
    data: { registrationBody: "UKCP", registrationNumber: "UKCP-0042", name: "Robin Ready" },
  });
  return { ...world, admin: await makeUser(["ADMIN"]) };
}

const certificatesOf = (holderId: string) => db().certificate.findMany({ where: { holderId }, include: { events: true } });

describe("issuing", () => {
  it("writes the certificate with its snapshots, hash, status indexes, ISSUED event and audit event", async () => {
    const { trainee, admin, ratings, caseA, caseB } = await registered();
    expect((await certificationQueue(db())).map((q) => q.userId)).toContain(trainee.id);

    const issued = await issueCertificate(db(), { traineeId: trainee.id, by: admin.id });
    if (!issued.ok) throw new Error(issued.error);
    const [cert, ...others] = await certificatesOf(trainee.id);
    expect(others).toEqual([]);
    expect(cert).toMatchObject({
      code: issued.code,
      holderName: "Robin Ready",
      registrationBody: "UKCP",
      registrationNumber: "UKCP-0042",
      pathwayId: "dit-practitioner",
      pathwayVersion: 1,
      credentialName: "Fixture Practitioner",
      issuerName: "Attune fixture body",
      issuedById: admin.id,
      status: "ACTIVE",
      onRegister: false,
    });
    expect(issued.code).toMatch(/^ATN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    // Fixture pathway: valid for 12 months.
    const expected = new Date(cert?.issuedAt as Date);
    expected.setUTCFullYear(expected.getUTCFullYear() + 1);
    expect(cert?.expiresAt).toEqual(expected);

    // The evidence snapshot: ids and hashes of what it rests on, hashed.
    expect(cert?.evidenceHash).toBe(sha256Hex(cert?.evidence as string));
    const snapshot = JSON.parse(cert?.evidence as string);
    expect(snapshot.kind).toBe("pathway");
    expect(snapshot.pathway).toEqual({ id: "dit-practitioner", version: 1 });
    const items = snapshot.steps.flatMap((s: { evidence: { kind: string; id: string; hash?: string }[] }) => s.evidence);
    for (const ratingId of Object.values(ratings)) {
      expect(items).toContainEqual({ kind: "rating", id: ratingId, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
    expect(
      items
        .filter((i: { kind: string }) => i.kind === "case")
        .map((i: { id: string }) => i.id)
        .sort(),
    ).toEqual([caseA.id, caseB.id].sort());
    expect(JSON.stringify(snapshot)).not.toMatch(/label|clientCode|P-\d{5}/);

    // Status-list indexes allocated in both lists, bits clear.
    const entries = await db().statusListEntry.findMany({
      where: {
        OR: [
          { purpose: "revocation", index: cert?.revocationIndex },
          { purpose: "suspension", index: cert?.suspensionIndex },
        ],
      },
    });
    expect(entries.map((e) => [e.purpose, e.value]).sort()).toEqual([
      ["revocation", false],
      ["suspension", false],
    ]);
    expect(cert?.events.map((e) => [e.type, e.actorId])).toEqual([["ISSUED", admin.id]]);
    const audit = await db().auditEvent.findMany({ where: { type: "certificate.issued", subjectId: trainee.id } });
    expect(audit.map((a) => JSON.parse(a.data))).toEqual([
      {
        certificateId: cert?.id,
        code: issued.code,
        pathway: "dit-practitioner@1",
        evidenceHash: cert?.evidenceHash,
        revocationIndex: cert?.revocationIndex,
        suspensionIndex: cert?.suspensionIndex,
      },
    ]);
    expect(issued.notice).toEqual({
      type: "ISSUED",
      code: issued.code,
      credential: "Fixture Practitioner",
      expiresAt: cert?.expiresAt,
      to: { email: trainee.email, name: "Robin Ready" },
    });

    // Out of the queue; a second issue is refused; the snapshot does not follow later edits of the account.
    expect((await certificationQueue(db())).map((q) => q.userId)).not.toContain(trainee.id);
    expect(await issueCertificate(db(), { traineeId: trainee.id, by: admin.id })).toEqual({ ok: false, error: "already-certified" });
    await db().user.update({ where: { id: trainee.id }, data: { name: "Robin Renamed", registrationNumber: "UKCP-9999" } });
    expect(await db().certificate.findUniqueOrThrow({ where: { code: issued.code } })).toMatchObject({
      holderName: "Robin Ready",
      registrationNumber: "UKCP-0042",
    });
  });

  it("evaluates again at issue time: evidence that no longer meets a step is refused, and nothing is written", async () => {
    const { trainee, admin, caseB } = await registered();
    const cookie = await cookieFor(admin.id);
    const page = await callLoader(queuePage.loader, {
      path: `/admin/certificates/queue/${trainee.id}`,
      params: { userId: trainee.id },
      cookie,
    });
    expect(page.data).toMatchObject({ complete: true, registration: "UKCP UKCP-0042", inForce: null });
    // Meanwhile one of the two concurrent cases is withdrawn: it no longer counts.
    expect(await setCaseStatus(db(), { caseId: caseB.id, by: trainee.id, from: "OPEN", to: "WITHDRAWN" })).toBe(true);
    const entriesBefore = await db().statusListEntry.count();
    const out = await callAction(queuePage.action, {
      path: `/admin/certificates/queue/${trainee.id}`,
      params: { userId: trainee.id },
      cookie,
      form: { intent: "issue" },
    });
    expect(out.status).toBe(409);
    expect(out.data).toEqual({ error: expect.stringMatching(/not complete now/) });
    expect(await certificatesOf(trainee.id)).toEqual([]);
    expect(await db().statusListEntry.count()).toBe(entriesBefore);
    expect(await db().auditEvent.count({ where: { type: "certificate.issued", subjectId: trainee.id } })).toBe(0);
  });

  it("refuses a person with no home registration, someone who has not met the pathway, and a deactivated account", async () => {
    const world = await completeTrainee();
    const admin = await makeUser(["ADMIN"]);
    expect(await issueCertificate(db(), { traineeId: world.trainee.id, by: admin.id })).toEqual({ ok: false, error: "no-registration" });
    const queue = await certificationQueue(db());
    expect(queue.find((q) => q.userId === world.trainee.id)).toMatchObject({ hasRegistration: false, previous: null });

    const beginner = await makeUser(["TRAINEE"]);
    await db().user.update({ where: { id: beginner.id }, data: { registrationBody: "BACP", registrationNumber: "1" } });
    expect(await issueCertificate(db(), { traineeId: beginner.id, by: admin.id })).toEqual({ ok: false, error: "incomplete" });

    await db().user.update({
      where: { id: world.trainee.id },
      data: { registrationBody: "BACP", registrationNumber: "2", status: "DEACTIVATED" },
    });
    expect(await issueCertificate(db(), { traineeId: world.trainee.id, by: admin.id })).toEqual({ ok: false, error: "no-such-person" });
    expect(await certificatesOf(world.trainee.id)).toEqual([]);
  });

  it("issues once when two admins press the button at the same moment", async () => {
    const { trainee, admin } = await registered();
    const other = await makeUser(["ADMIN"]);
    const results = await Promise.all([
      issueCertificate(db(), { traineeId: trainee.id, by: admin.id }),
      issueCertificate(db(), { traineeId: trainee.id, by: other.id }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "already-certified" }]);
    expect(await certificatesOf(trainee.id)).toHaveLength(1);
  });

  it("through the admin pages: the queue lists the trainee, the issue form issues and leads to the certificate", async () => {
    const { trainee, admin } = await registered();
    const cookie = await cookieFor(admin.id);
    const list = await callLoader(queueList.loader, { path: "/admin/certificates/queue", cookie });
    expect((list.data as { queue: { userId: string; name: string }[] }).queue).toContainEqual(
      expect.objectContaining({ userId: trainee.id, name: "Robin Ready", hasRegistration: true }),
    );
    const out = await callAction(queuePage.action, {
      path: `/admin/certificates/queue/${trainee.id}`,
      params: { userId: trainee.id },
      cookie,
      form: { intent: "issue" },
    });
    const [cert] = await certificatesOf(trainee.id);
    expect(out.status).toBe(302);
    expect(out.headers.get("Location")).toBe(`/admin/certificates/${cert?.code}?done=issued`);
    const again = await callLoader(queuePage.loader, { path: "/x", params: { userId: trainee.id }, cookie });
    expect(again.data).toMatchObject({ inForce: { code: cert?.code, status: "Valid" } });
  });
});
