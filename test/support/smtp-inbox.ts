import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll } from "vitest";
import { outboxIdle } from "#app/mail/outbox.server";

export type Mail = { to: string[]; body: string };

/**
 * A real SMTP server on loopback for the calling test file: it listens before the file's tests (SMTP_URL points at
 * it, and `env` is set as well) and closes after them, once the outbox is idle. Each message lands in the returned
 * inbox with its recipients and its body (quoted-printable soft breaks removed). While `hold()` returns a promise,
 * a message is kept open (no reply to DATA) until it settles.
 */
export function smtpInbox(options: { env?: Record<string, string>; hold?: () => Promise<void> | null } = {}): Mail[] {
  const inbox: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let body = "";
      stream.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      stream.on("end", async () => {
        await options.hold?.();
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), body: body.replace(/=\r?\n/g, "") });
        callback();
      });
    },
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const { port } = smtp.server.address() as AddressInfo;
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    Object.assign(process.env, options.env);
  });
  afterAll(async () => {
    await outboxIdle();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });
  return inbox;
}
