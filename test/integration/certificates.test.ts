// Certificates after issue: status changes (events, audit, status-list bits), the public view, renewal by CPD, the
// daily job, the holder's and the admin's pages, the register opt-in and the PDF. Issuing is in
// certificate-issue.test.ts.
import { describe, expect, it } from "vitest";
import { runCertificateJobs } from "#app/certificates/jobs.server";
import { getDb } from "#app/db.server";
import { env, publicBaseUrl } from "#app/env.server";
import {
  changeCertificateStatus,
  getCertificateByCode,
  recordDueExpiries,
  recordDueExpiryNotices,
  renewCertificate,
  unseenNotices,
} from "#app/models/certificate.server";
import { logCpd } from "#app/models/cpd.server";
import { setIndexes } from "#app/models/status-list.server";
import * as adminList from "#app/routes/admin.certificates._index";
import * as adminPage from "#app/routes/admin.certificates.$code";
import * as listPage from "#app/routes/certificates._index";
import * as holderPage from "#app/routes/certificates.$code";
import * as pdfRoute from "#app/routes/certificates.$code.pdf";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import { makeCertificate } from "../support/certificates";
import "../support/fixture-course";
import { pdfQrCode, pdfText } from "../support/pdf";

const DAY = 86_400_000;
const db = () => getDb();

async function holderWithCertificate(options: Parameters<typeof makeCertificate>[1] = {}) {
  const holder = await makeUser(["TRAINEE"]);
  const cert = await makeCertificate(holder.id, options);
  const admin = await makeUser(["ADMIN"]);
  return { holder, cert, admin };
}

const events = (certificateId: string) =>
  db().certificateEvent.findMany({
    where: { certificateId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { type: true, reason: true, actorId: true },
  });
const auditOf = (holderId: string, type: string) =>
  db().auditEvent.findMany({ where: { subjectId: holderId, type }, orderBy: { id: "asc" } });
const bit = async (purpose: "revocation" | "suspension", index: number) => (await setIndexes(purpose, db())).includes(index);

describe("status changes", () => {
  it("suspends and reinstates: status, reason, events, audit and the suspension bit; the credential's revocation bit stays clear", async () => {
    const { holder, cert, admin } = await holderWithCertificate();
    const base = publicBaseUrl(env());
    expect((await getCertificateByCode(db(), cert.code, base))?.status).toBe("valid");

    const suspended = await changeCertificateStatus(db(), {
      code: cert.code,
      change: "suspend",
      reason: "Complaint under investigation",
      by: admin.id,
    });
    expect(suspended.ok).toBe(true);
    const row = await db().certificate.findUniqueOrThrow({ where: { id: cert.id } });
    expect(row).toMatchObject({ status: "SUSPENDED", statusReason: "Complaint under investigation" });
    expect(await bit("suspension", cert.suspensionIndex)).toBe(true);
    expect(await bit("revocation", cert.revocationIndex)).toBe(false);
    expect((await getCertificateByCode(db(), cert.code, base))?.status).toBe("suspended");

    // Suspending again is refused, and changes nothing.
    const again = await changeCertificateStatus(db(), { code: cert.code, change: "suspend", reason: "Twice", by: admin.id });
    expect(again).toEqual({ ok: false, error: "Only an active certificate can be suspended." });

    expect((await changeCertificateStatus(db(), { code: cert.code, change: "reinstate", reason: null, by: admin.id })).ok).toBe(true);
    expect(await bit("suspension", cert.suspensionIndex)).toBe(false);
    expect(await db().certificate.findUniqueOrThrow({ where: { id: cert.id } })).toMatchObject({ status: "ACTIVE", statusReason: null });
    expect(await events(cert.id)).toEqual([
      { type: "ISSUED", reason: null, actorId: cert.adminId },
      { type: "SUSPENDED", reason: "Complaint under investigation", actorId: admin.id },
      { type: "REINSTATED", reason: null, actorId: admin.id },
    ]);
    expect((await auditOf(holder.id, "certificate.suspended")).map((e) => JSON.parse(e.data))).toEqual([
      { certificateId: cert.id, code: cert.code, from: "ACTIVE", to: "SUSPENDED", reason: "Complaint under investigation" },
    ]);
    expect(await auditOf(holder.id, "certificate.reinstated")).toHaveLength(1);
  });

  it("revokes for good: the revocation bit is set (a suspension cleared), nothing can follow", async () => {
    const { holder, cert, admin } = await holderWithCertificate();
    await changeCertificateStatus(db(), { code: cert.code, change: "suspend", reason: "Complaint received", by: admin.id });
    const revoked = await changeCertificateStatus(db(), {
      code: cert.code,
      change: "revoke",
      reason: "Removed from the home register",
      by: admin.id,
    });
    expect(revoked.ok).toBe(true);
    expect(await bit("revocation", cert.revocationIndex)).toBe(true);
    expect(await bit("suspension", cert.suspensionIndex)).toBe(false);
    expect((await getCertificateByCode(db(), cert.code, "https://x.example"))?.status).toBe("revoked");
    for (const change of ["reinstate", "suspend", "revoke"] as const) {
      const out = await changeCertificateStatus(db(), { code: cert.code, change, reason: "Another try", by: admin.id });
      expect(out).toEqual({ ok: false, error: "This certificate is revoked; revocation is final." });
    }
    expect((await events(cert.id)).map((e) => e.type)).toEqual(["ISSUED", "SUSPENDED", "REVOKED"]);
    expect(await auditOf(holder.id, "certificate.revoked")).toHaveLength(1);
    expect(await renewCertificate(db(), { code: cert.code, by: admin.id })).toEqual({ ok: false, error: expect.stringMatching(/revoked/) });
  });

  it("through the admin page: a reason is required, a revocation must be confirmed, other roles are refused", async () => {
    const { cert, admin } = await holderWithCertificate();
    const cookie = await cookieFor(admin.id);
    const post = (form: Record<string, string>, who = cookie) =>
      callAction(adminPage.action, { path: `/admin/certificates/${cert.code}`, params: { code: cert.code }, cookie: who, form });
    const noReason = await post({ intent: "suspend", reason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.data).toMatchObject({ intent: "suspend", errors: { reason: expect.stringMatching(/reason/) } });
    const unconfirmed = await post({ intent: "revoke", reason: "Fraudulent evidence found" });
    expect(unconfirmed.data).toMatchObject({ errors: { confirm: "Confirm that revocation is final" } });
    expect((await post({ intent: "reinstate" })).status).toBe(409);
    const trainer = await makeUser(["TRAINER"]);
    expect((await post({ intent: "revoke", reason: "Not my call", confirm: "yes" }, await cookieFor(trainer.id))).status).toBe(403);
    expect((await db().certificate.findUniqueOrThrow({ where: { id: cert.id } })).status).toBe("ACTIVE");

    const done = await post({ intent: "revoke", reason: "Fraudulent evidence found", confirm: "yes" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/admin/certificates/${cert.code}?done=revoke`);
    const page = await callLoader(adminPage.loader, { path: `/admin/certificates/${cert.code}`, params: { code: cert.code }, cookie });
    expect(page.data).toMatchObject({
      status: "revoked",
      statusReason: "Fraudulent evidence found",
      can: { suspend: false, reinstate: false, revoke: false },
      events: [
        { type: "Issued", by: expect.any(String) },
        { type: "Revoked", reason: "Fraudulent evidence found" },
      ],
    });
  });

  it("the admin list filters by status, expiry following from the date", async () => {
    const { cert: expired } = await holderWithCertificate({
      issuedAt: new Date(Date.now() - 400 * DAY),
      expiresAt: new Date(Date.now() - DAY),
    });
    const { cert: revoked } = await holderWithCertificate({ status: "REVOKED" });
    const { cert: valid, admin } = await holderWithCertificate();
    const cookie = await cookieFor(admin.id);
    const codes = async (status: string) => {
      const out = await callLoader(adminList.loader, { path: `/admin/certificates?status=${status}`, cookie });
      return (out.data as { rows: { code: string }[] }).rows.map((r) => r.code);
    };
    expect(await codes("expired")).toContain(expired.code);
    expect(await codes("expired")).not.toContain(valid.code);
    expect(await codes("valid")).toContain(valid.code);
    expect(await codes("valid")).not.toContain(expired.code);
    expect(await codes("revoked")).toContain(revoked.code);
    expect(await codes("revoked")).not.toContain(valid.code);
    expect(await codes("nonsense")).toEqual(expect.arrayContaining([valid.code, expired.code, revoked.code]));
  });
});

describe("the public view", () => {
  it("finds a code however it is typed and says nothing more than the contract", async () => {
    const { holder, cert } = await holderWithCertificate();
    const typed = cert.code.toLowerCase().replaceAll("-", " ");
    const view = await getCertificateByCode(db(), typed, "https://attune.example.org");
    expect(view).toEqual({
      code: cert.code,
      status: "valid",
      holder: { name: cert.holderName, registrationBody: "BACP", registrationNumber: cert.registrationNumber },
      credential: "Fixture Practitioner",
      issuer: "Attune fixture body",
      issuedAt: cert.issuedAt,
      expiresAt: cert.expiresAt,
      verifyUrl: `https://attune.example.org/verify/${cert.code}`,
      revocationIndex: cert.revocationIndex,
      suspensionIndex: cert.suspensionIndex,
      holderId: holder.id,
    });
    expect(await getCertificateByCode(db(), "ATN-2222-2222", "https://x.example")).toBeNull();
    expect(await getCertificateByCode(db(), "not a code", "https://x.example")).toBeNull();
  });

  it("is expired once the date passes, before the daily job records it", async () => {
    const { cert } = await holderWithCertificate({ expiresAt: new Date(Date.now() + DAY) });
    expect((await getCertificateByCode(db(), cert.code, "https://x.example", new Date(Date.now() + 2 * DAY)))?.status).toBe("expired");
  });
});

describe("the daily job", () => {
  it("records an expiry once, even when run twice at once", async () => {
    const { holder, cert } = await holderWithCertificate({
      issuedAt: new Date(Date.now() - 400 * DAY),
      expiresAt: new Date(Date.now() - 1000),
    });
    const now = new Date();
    const [a, b] = await Promise.all([recordDueExpiries(db(), now), recordDueExpiries(db(), now)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect((await events(cert.id)).map((e) => e.type)).toEqual(["ISSUED", "EXPIRED"]);
    expect((await db().certificate.findUniqueOrThrow({ where: { id: cert.id } })).expiredAt).toEqual(now);
    expect(await auditOf(holder.id, "certificate.expired")).toHaveLength(1);
    await recordDueExpiries(db(), new Date());
    expect((await events(cert.id)).map((e) => e.type)).toEqual(["ISSUED", "EXPIRED"]);
  });

  it("gives the 60-day notice once, and not for a renewed certificate", async () => {
    const { holder, cert } = await holderWithCertificate({ expiresAt: new Date(Date.now() + 59 * DAY) });
    const { cert: later } = await holderWithCertificate({ expiresAt: new Date(Date.now() + 61 * DAY) });
    const first = await recordDueExpiryNotices(db(), new Date());
    expect(first.filter((n) => n.code === cert.code)).toEqual([
      {
        type: "EXPIRY_NOTICE",
        code: cert.code,
        credential: "Fixture Practitioner",
        expiresAt: cert.expiresAt,
        to: { email: holder.email, name: expect.any(String) },
      },
    ]);
    expect(first.some((n) => n.code === later.code)).toBe(false);
    expect((await recordDueExpiryNotices(db(), new Date())).some((n) => n.code === cert.code)).toBe(false);
    expect((await events(cert.id)).map((e) => e.type)).toEqual(["ISSUED", "EXPIRY_NOTICE"]);
    expect((await unseenNotices(db(), holder.id)).map((n) => n.text)).toContain(
      `Your Fixture Practitioner certificate expires on ${new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(cert.expiresAt as Date)}. Log your CPD so that it can be renewed.`,
    );
    const counts = await runCertificateJobs({ db: db(), now: new Date(), baseUrl: "https://x.example" });
    expect(counts.noticed).toBe(0);
  });
});

describe("renewal", () => {
  const fewMonthsAgo = () => new Date(Date.now() - 300 * DAY);

  it("needs the pathway's CPD hours since issue, then issues a new certificate and hands over the register place", async () => {
    const { holder, cert, admin } = await holderWithCertificate({
      issuedAt: fewMonthsAgo(),
      expiresAt: new Date(Date.now() + 65 * DAY),
      onRegister: true,
    });
    const day = (n: number) => new Date(Date.now() - n * DAY);
    await logCpd(db(), {
      userId: holder.id,
      date: new Date(Date.now() - 320 * DAY),
      hours: 10,
      kind: "GENERAL",
      description: "Before issue",
    });
    await logCpd(db(), { userId: holder.id, date: day(100), hours: 20, kind: "CLINICAL", description: "DIT supervision group" });
    await logCpd(db(), { userId: holder.id, date: day(10), hours: 9.75, kind: "GENERAL", description: "Reading" });
    const short = await renewCertificate(db(), { code: cert.code, by: admin.id });
    expect(short).toEqual({ ok: false, error: expect.stringMatching(/^29\.75 hours of CPD logged since .*; renewal needs 30 hours\.$/) });

    await logCpd(db(), { userId: holder.id, date: day(1), hours: 0.25, kind: "GENERAL", description: "Journal club" });
    const renewed = await renewCertificate(db(), { code: cert.code, by: admin.id });
    if (!renewed.ok) throw new Error(renewed.error);
    const next = await db().certificate.findUniqueOrThrow({ where: { code: renewed.code } });
    expect(next).toMatchObject({
      holderId: holder.id,
      renewedFromId: cert.id,
      status: "ACTIVE",
      onRegister: true,
      pathwayId: cert.pathwayId,
    });
    // Fixture pathway: valid 12 months, counted from the old expiry.
    const expected = new Date(cert.expiresAt as Date);
    expected.setUTCFullYear(expected.getUTCFullYear() + 1);
    expect(next.expiresAt).toEqual(expected);
    expect(next.revocationIndex).not.toBe(cert.revocationIndex);
    const snapshot = JSON.parse(next.evidence);
    expect(snapshot).toMatchObject({ kind: "renewal", renewalOf: { code: cert.code, evidenceHash: cert.evidenceHash } });
    expect(snapshot.cpd.map((e: { hours: number }) => e.hours).sort()).toEqual([0.25, 20, 9.75]);
    expect((await db().certificate.findUniqueOrThrow({ where: { id: cert.id } })).onRegister).toBe(false);
    expect((await events(cert.id)).map((e) => e.type)).toEqual(["ISSUED", "RENEWED"]);
    expect(await events(next.id)).toEqual([{ type: "ISSUED", reason: `Renewal of ${cert.code}`, actorId: admin.id }]);
    expect(renewed.notice).toMatchObject({ type: "RENEWED", code: renewed.code });
    // Once only; and the old one gets no expiry notice now.
    expect(await renewCertificate(db(), { code: cert.code, by: admin.id })).toEqual({
      ok: false,
      error: "This certificate has already been renewed.",
    });
    expect((await recordDueExpiryNotices(db(), new Date(Date.now() + 10 * DAY))).some((n) => n.code === cert.code)).toBe(false);
  });

  it("refuses a suspended certificate", async () => {
    const { cert, admin } = await holderWithCertificate({ status: "SUSPENDED" });
    expect(await renewCertificate(db(), { code: cert.code, by: admin.id })).toEqual({
      ok: false,
      error: expect.stringMatching(/reinstated/),
    });
  });
});

describe("the holder's pages", () => {
  it("shows the certificate with its verification link, history and notices; the holder dismisses a notice", async () => {
    const { holder, cert } = await holderWithCertificate();
    const cookie = await cookieFor(holder.id);
    const page = await callLoader(holderPage.loader, { path: `/certificates/${cert.code}`, params: { code: cert.code }, cookie });
    expect(page.data).toMatchObject({
      code: cert.code,
      status: "valid",
      verifyUrl: `${publicBaseUrl(env())}/verify/${cert.code}`,
      events: [{ type: "Issued" }],
    });
    // A typed code lands on the canonical address.
    const lower = await callLoader(holderPage.loader, { path: "/x", params: { code: cert.code.toLowerCase() }, cookie });
    expect(lower.headers.get("Location")).toBe(`/certificates/${cert.code}`);

    const list = await callLoader(listPage.loader, { path: "/certificates", cookie });
    const notices = (list.data as { notices: { id: string; text: string }[] }).notices;
    expect(notices.map((n) => n.text)).toEqual(["Your Fixture Practitioner certificate has been issued."]);
    const dismissed = await callAction(listPage.action, {
      path: "/certificates",
      cookie,
      form: { intent: "dismiss", eventId: notices[0]?.id ?? "", back: "/" },
    });
    expect(dismissed.headers.get("Location")).toBe("/");
    expect(await unseenNotices(db(), holder.id)).toEqual([]);
    const elsewhere = await callAction(listPage.action, {
      path: "/certificates",
      cookie,
      form: { intent: "dismiss", eventId: "x", back: "//evil.example" },
    });
    expect(elsewhere.status).toBe(404);
  });

  it("lets the holder join and leave the public register (audited); a revoked certificate cannot join", async () => {
    const { holder, cert } = await holderWithCertificate();
    const cookie = await cookieFor(holder.id);
    const post = (code: string, onRegister: string) =>
      callAction(holderPage.action, { path: `/certificates/${code}`, params: { code }, cookie, form: { onRegister } });
    expect((await post(cert.code, "yes")).headers.get("Location")).toBe(`/certificates/${cert.code}?register=joined`);
    expect((await db().certificate.findUniqueOrThrow({ where: { id: cert.id } })).onRegister).toBe(true);
    expect(await auditOf(holder.id, "certificate.register-joined")).toHaveLength(1);
    await post(cert.code, "no");
    expect((await db().certificate.findUniqueOrThrow({ where: { id: cert.id } })).onRegister).toBe(false);
    expect((await post(cert.code, "maybe")).status).toBe(400);
    const revoked = await makeCertificate(holder.id, { status: "REVOKED" });
    expect((await post(revoked.code, "yes")).status).toBe(409);
    expect((await db().certificate.findUniqueOrThrow({ where: { id: revoked.id } })).onRegister).toBe(false);
  });

  it("streams the PDF, never cached: its text holds the code and its QR code the verification URL", async () => {
    const { holder, cert } = await holderWithCertificate();
    const out = await callLoader(pdfRoute.loader, {
      path: `/certificates/${cert.code}/pdf`,
      params: { code: cert.code },
      cookie: await cookieFor(holder.id),
    });
    expect(out.status).toBe(200);
    expect(out.headers.get("Content-Type")).toBe("application/pdf");
    expect(out.headers.get("Cache-Control")).toBe("no-store");
    expect(out.headers.get("Content-Disposition")).toBe(`attachment; filename="certificate-${cert.code}.pdf"`);
    const response = await pdfRoute.loader({
      request: new Request(`http://localhost/certificates/${cert.code}/pdf`, { headers: { Cookie: await cookieFor(holder.id) } }),
      params: { code: cert.code },
      context: { cspNonce: "n", clientIp: "127.0.0.1", appUrl: "https://attune.example.org" },
    });
    expect(response.body).toBeInstanceOf(ReadableStream);
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdfText(pdf)).toContain(cert.code);
    expect(pdfText(pdf)).toContain(cert.holderName);
    expect(pdfQrCode(pdf)).toBe(`https://attune.example.org/verify/${cert.code}`);
  });
});
