import nodemailer, { type Transporter } from "nodemailer";
import { env } from "#app/env.server";

let transport: Transporter | undefined;

function transporter(): Transporter | null {
  const { SMTP_URL } = env();
  if (!SMTP_URL) return null;
  transport ??= nodemailer.createTransport(SMTP_URL);
  return transport;
}

export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

type Message = { to: string; subject: string; text: string };

/** Sends a plain-text message; false when SMTP is not configured or delivery failed. */
export async function sendMail(message: Message): Promise<boolean> {
  const t = transporter();
  if (!t) return false;
  try {
    await t.sendMail({ from: env().MAIL_FROM, ...message });
    return true;
  } catch (error) {
    console.error(JSON.stringify({ level: "error", msg: "mail delivery failed", error: String(error) }));
    return false;
  }
}

export function invitationMessage({ to, name, link, hours }: { to: string; name: string; link: string; hours: number }) {
  return {
    to,
    subject: "Your invitation to Attune",
    text: `Hello ${name},\n\nYou have been invited to Attune, the DIT training platform.\nSet your password here (the link works once and expires in ${hours} hours):\n\n${link}\n\nIf you did not expect this, you can ignore this message.\n`,
  };
}

export function passwordResetMessage({ to, name, link, hours }: { to: string; name: string; link: string; hours: number }) {
  return {
    to,
    subject: "Reset your Attune password",
    text: `Hello ${name},\n\nA password reset was requested for your Attune account.\nChoose a new password here (the link works once and expires in ${hours} hours):\n\n${link}\n\nIf you did not ask for this, ignore this message; your password stays as it is.\n`,
  };
}

/**
 * An absolute link for a path under the app's base URL (context.appUrl: APP_URL,
 * else http://localhost:<port>). Never built from the request, whose Host and
 * X-Forwarded-Host the client chooses.
 */
export function linkTo(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  return new URL(path.replace(/^\//, ""), base).toString();
}
