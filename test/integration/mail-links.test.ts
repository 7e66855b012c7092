// Links in mail with APP_URL unset: built from the configured port, never from the request's Host.
import { describe, expect, it } from "vitest";
import { outboxIdle } from "#app/mail/outbox.server";
import * as userPage from "#app/routes/admin.users.$userId";
import * as forgot from "#app/routes/forgot-password";
import { callAction, cookieFor, makeUser } from "../support/app";
import { smtpInbox } from "../support/smtp-inbox";

const inbox = smtpInbox({ env: { PORT: "4567" } });

const linksIn = (body: string | undefined) => [...(body ?? "").matchAll(/https?:\/\/[^\s]+/g)].map((m) => m[0]);

describe("links with APP_URL unset", () => {
  it("a reset mail asked for with Host: evil.example links to the configured origin", async () => {
    await makeUser(["TRAINEE"], { email: "poisoned@example.test" });
    const answer = await callAction(forgot.action, {
      path: "/forgot-password",
      origin: "http://evil.example",
      headers: { Host: "evil.example", "X-Forwarded-Host": "evil.example" },
      form: { email: "poisoned@example.test" },
    });
    expect(answer.data).toMatchObject({ sent: true });
    await outboxIdle();
    const mail = inbox.find((m) => m.to.includes("poisoned@example.test"));
    const links = linksIn(mail?.body);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/^http:\/\/localhost:4567\/password-reset\/[A-Za-z0-9_-]{43}$/);
    expect(mail?.body).not.toContain("evil.example");
  });

  it("an admin's reset and invitation links ignore the request's origin too", async () => {
    const admin = await makeUser(["ADMIN"]);
    const person = await makeUser(["TRAINEE"]);
    const out = await callAction(userPage.action, {
      path: `/admin/users/${person.id}`,
      origin: "http://evil.example",
      params: { userId: person.id },
      cookie: await cookieFor(admin.id),
      form: { intent: "reset-link" },
    });
    const link = (out.data as { link: { url: string; mailed: boolean } }).link;
    expect(link.url).toMatch(/^http:\/\/localhost:4567\/password-reset\//);
    expect(link.mailed).toBe(true);
    expect(inbox.find((m) => m.to.includes(person.email))?.body).toContain(link.url);
  });
});
