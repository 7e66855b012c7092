import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { outboxIdle } from "#app/mail/outbox.server";
import * as invite from "#app/routes/admin.users.new";
import * as forgot from "#app/routes/forgot-password";
import * as reset from "#app/routes/password-reset.$token";
import { callAction, cookieFor, makeUser } from "../support/app";
import { smtpInbox } from "../support/smtp-inbox";

// A real SMTP server on loopback receives what Attune sends. While `held` is
// set, it keeps each message open (no reply to DATA) until released.
let held: Promise<void> | null = null;
const inbox = smtpInbox({ env: { APP_URL: "https://attune.example.org" }, hold: () => held });

describe("with SMTP configured", () => {
  it("limits reset mails per address (silently) and reset requests per IP (429)", async () => {
    await makeUser(["TRAINEE"], { email: "often@example.test" });
    const ask = (email: string, ip: string) => callAction(forgot.action, { path: "/forgot-password", form: { email }, ip });
    for (let i = 0; i < 4; i++) expect((await ask("often@example.test", `10.9.0.${i}`)).data).toMatchObject({ sent: true });
    // Three mails, not four — and the fourth answer looked the same.
    await outboxIdle();
    expect(inbox.filter((m) => m.to.includes("often@example.test"))).toHaveLength(3);
    for (let i = 0; i < 10; i++) await ask(`someone-${i}@example.test`, "10.9.9.9");
    const refused = await ask("someone-else@example.test", "10.9.9.9");
    expect(refused.status).toBe(429);
    expect(refused.data).toMatchObject({ errors: { form: expect.stringMatching(/Too many reset requests/) } });
  });

  it("an invitation is mailed with its link (built from APP_URL)", async () => {
    const admin = await makeUser(["ADMIN"]);
    const out = await callAction(invite.action, {
      path: "/admin/users/new",
      cookie: await cookieFor(admin.id),
      form: { name: "Mia Mail", email: "mia@example.test", roles: "TRAINEE" },
    });
    const invited = (out.data as { invited: { link: string; mailed: boolean } }).invited;
    expect(invited.mailed).toBe(true);
    expect(invited.link).toMatch(/^https:\/\/attune\.example\.org\/invitations\//);
    const mail = inbox.find((m) => m.to.includes("mia@example.test"));
    expect(mail?.body).toContain(invited.link);
    expect(mail?.body).toMatch(/Subject: Your invitation to Attune/);
  });

  it("a forgotten-password request mails a working reset link to an active account, and says the same for unknown ones", async () => {
    const user = await makeUser(["TRAINER"], { email: "forgetful@example.test" });
    const known = await callAction(forgot.action, { path: "/forgot-password", form: { email: "Forgetful@example.test" } });
    const unknown = await callAction(forgot.action, { path: "/forgot-password", form: { email: "ghost@example.test" } });
    expect(known.data).toEqual(unknown.data);
    await outboxIdle();
    expect(inbox.some((m) => m.to.includes("ghost@example.test"))).toBe(false);
    const mail = inbox.find((m) => m.to.includes("forgetful@example.test"));
    const link = mail?.body.match(/https:\/\/attune\.example\.org\/password-reset\/([A-Za-z0-9_-]+)/);
    expect(link).toBeTruthy();
    const token = link?.[1] as string;
    const done = await callAction(reset.action, {
      path: "/x",
      params: { token },
      form: { password: "remembered at last, finally", confirm: "remembered at last, finally" },
    });
    expect(done.status).toBe(302);
    expect((await getDb().auditEvent.findMany({ where: { subjectId: user.id } })).map((e) => e.type)).toContain("auth.password_reset");
  });

  it("answers a reset request without waiting for SMTP, for a real account and an unknown address alike", async () => {
    await makeUser(["TRAINEE"], { email: "patient@example.test" });
    let release = () => {};
    held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // If a response waited for SMTP it would only come after this release.
    const safety = setTimeout(() => release(), 4000);
    try {
      for (const email of ["patient@example.test", "nobody-here@example.test"]) {
        const answer = await callAction(forgot.action, { path: "/forgot-password", form: { email }, ip: "10.9.1.1" });
        expect(answer.data).toEqual({ errors: undefined, sent: true });
      }
      expect(inbox.some((m) => m.to.includes("patient@example.test"))).toBe(false);
    } finally {
      release();
      clearTimeout(safety);
      held = null;
    }
    await outboxIdle();
    expect(inbox.filter((m) => m.to.includes("patient@example.test"))).toHaveLength(1);
    expect(inbox.some((m) => m.to.includes("nobody-here@example.test"))).toBe(false);
  });
});
