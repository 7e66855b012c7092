// Holders are told: on their home page, and by mail when SMTP_URL is set — issued, suspended, reinstated, revoked,
// renewed, and 60 days before expiry (once). A mail names the certificate and links to its page; it never carries
// the reason. A real SMTP server on loopback receives what Attune sends (as in mail.test.ts).
import { describe, expect, it } from "vitest";
import { runCertificateJobs } from "#app/certificates/jobs.server";
import { getDb } from "#app/db.server";
import { outboxIdle } from "#app/mail/outbox.server";
import * as home from "#app/routes/_index";
import * as adminPage from "#app/routes/admin.certificates.$code";
import * as queuePage from "#app/routes/admin.certificates.queue.$userId";
import { callAction, callLoader, cookieFor, makeUser } from "../support/app";
import { makeCertificate } from "../support/certificates";
import { smtpInbox } from "../support/smtp-inbox";
import "../support/fixture-course";
import { completeTrainee } from "../support/pathway-world";

const inbox = smtpInbox({ env: { APP_URL: "https://attune.example.org" } });

const DAY = 86_400_000;
const mailsTo = (email: string) => inbox.filter((m) => m.to.includes(email));

describe("certificate notices", () => {
  it("mails the holder on suspension and reinstatement with a link only (no reason), and shows it on their home page", async () => {
    const holder = await makeUser(["TRAINEE"]);
    const cert = await makeCertificate(holder.id);
    const admin = await makeUser(["ADMIN"]);
    const cookie = await cookieFor(admin.id);
    const reason = "Concern raised about work with a client in the Tuesday clinic";
    const post = (form: Record<string, string>) =>
      callAction(adminPage.action, { path: `/admin/certificates/${cert.code}`, params: { code: cert.code }, cookie, form });
    expect((await post({ intent: "suspend", reason })).status).toBe(302);
    await outboxIdle();
    const [mail] = mailsTo(holder.email);
    expect(mail?.body).toMatch(/Subject: News about your Attune certificate/);
    expect(mail?.body).toContain("Your Fixture Practitioner certificate has been suspended.");
    expect(mail?.body).toContain(`https://attune.example.org/certificates/${cert.code}`);
    expect(mail?.body).not.toContain("Tuesday");

    const page = await callLoader(home.loader, { path: "/", cookie: await cookieFor(holder.id) });
    expect((page.data as { certificateNotices: { text: string; code: string }[] }).certificateNotices).toEqual([
      expect.objectContaining({ text: "Your Fixture Practitioner certificate has been suspended.", code: cert.code }),
      expect.objectContaining({ text: "Your Fixture Practitioner certificate has been issued.", code: cert.code }),
    ]);

    expect((await post({ intent: "reinstate" })).status).toBe(302);
    await post({ intent: "revoke", reason, confirm: "yes" });
    await outboxIdle();
    expect(mailsTo(holder.email).map((m) => m.body.match(/certificate has been (\w+)/)?.[1])).toEqual([
      "suspended",
      "reinstated",
      "revoked",
    ]);
    expect(mailsTo(holder.email).some((m) => m.body.includes("Tuesday"))).toBe(false);
  });

  it("mails the new holder when the certificate is issued", async () => {
    const { trainee } = await completeTrainee();
    await getDb().user.update({ where: { id: trainee.id }, data: { registrationBody: "HCPC", registrationNumber: "PYL01234" } });
    const admin = await makeUser(["ADMIN"]);
    const out = await callAction(queuePage.action, {
      path: `/admin/certificates/queue/${trainee.id}`,
      params: { userId: trainee.id },
      cookie: await cookieFor(admin.id),
      form: { intent: "issue" },
    });
    const code = (out.headers.get("Location") ?? "").split("/")[3]?.split("?")[0];
    await outboxIdle();
    const [mail] = mailsTo(trainee.email);
    expect(mail?.body).toContain("Your Fixture Practitioner certificate has been issued.");
    expect(mail?.body).toContain(`https://attune.example.org/certificates/${code}`);
  });

  it("sends the 60-day expiry notice once, however often the daily job runs", async () => {
    const holder = await makeUser(["TRAINEE"]);
    const cert = await makeCertificate(holder.id, {
      issuedAt: new Date(Date.now() - 320 * DAY),
      expiresAt: new Date(Date.now() + 45 * DAY),
    });
    for (let i = 0; i < 3; i++) await runCertificateJobs({ db: getDb(), now: new Date(), baseUrl: "https://attune.example.org" });
    await outboxIdle();
    const mails = mailsTo(holder.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body).toMatch(/Subject: Your Attune certificate expires soon/);
    expect(mails[0]?.body).toContain(`https://attune.example.org/certificates/${cert.code}`);
  });

  it("does not mail a deactivated holder (the notice stays on the record)", async () => {
    const holder = await makeUser(["TRAINEE"]);
    const cert = await makeCertificate(holder.id, { expiresAt: new Date(Date.now() + 30 * DAY) });
    await getDb().user.update({ where: { id: holder.id }, data: { status: "DEACTIVATED" } });
    await runCertificateJobs({ db: getDb(), now: new Date(), baseUrl: "https://attune.example.org" });
    await outboxIdle();
    expect(mailsTo(holder.email)).toEqual([]);
    expect(await getDb().certificateEvent.count({ where: { certificateId: cert.id, type: "EXPIRY_NOTICE" } })).toBe(1);
  });
});
