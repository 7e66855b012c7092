import { z } from "zod";
import { throttleLimits } from "#app/auth/login.server";
import type { Db } from "#app/db.server";
import { EmailSchema } from "#app/domain/account-rules";
import { decideReset, windowStart } from "#app/domain/login-throttle";
import { env } from "#app/env.server";
import { invitationMessage, linkTo, mailConfigured, passwordResetMessage, sendMail } from "#app/mail/mailer.server";
import { sendLater } from "#app/mail/outbox.server";
import { recentResetRequests, recordResetRequest } from "#app/models/login-attempt.server";
import { createPasswordReset, findUserForLogin, getUserSummary, reissueInvitation } from "#app/models/user.server";

/**
 * The one-time-link workflows: a person asking for a reset link, and an
 * administrator creating an invitation or reset link. Links are built from
 * the app's base URL (APP_URL), never from the request.
 */

const BaseUrl = z.url({ protocol: /^https?$/ });

export const ResetRequestSchema = z.object({ email: EmailSchema, ip: z.string().min(1).max(100), baseUrl: BaseUrl });

export type ResetRequestOutcome = { ok: true } | { ok: false; error: "mail-off" | "too-many" };

/**
 * "Forgotten password": throttled per address (silently) and per IP (refused);
 * otherwise the answer is the same whether or not the address has an account,
 * and so is its timing — finding the account, issuing the token and talking
 * to SMTP all happen after the response (app/mail/outbox.server.ts).
 */
export async function requestPasswordReset(
  db: Db,
  input: z.input<typeof ResetRequestSchema>,
  now = new Date(),
): Promise<ResetRequestOutcome> {
  const { email, ip, baseUrl } = ResetRequestSchema.parse(input);
  if (!mailConfigured()) return { ok: false, error: "mail-off" };
  const decision = decideReset(await recentResetRequests(db, { email, ip }, windowStart(now, throttleLimits())));
  if (decision === "refuse") return { ok: false, error: "too-many" };
  await recordResetRequest(db, { email, ip });
  if (decision === "send") sendLater(() => mailResetLink(db, { email, baseUrl }));
  return { ok: true };
}

async function mailResetLink(db: Db, { email, baseUrl }: { email: string; baseUrl: string }): Promise<void> {
  const found = await findUserForLogin(db, email);
  if (found?.status !== "ACTIVE") return;
  const hours = env().PASSWORD_RESET_TTL_HOURS;
  const token = await createPasswordReset(db, { userId: found.id, by: null, ttlHours: hours });
  const user = await getUserSummary(db, found.id);
  if (!token || !user) return;
  await sendMail(passwordResetMessage({ to: user.email, name: user.name, link: linkTo(baseUrl, `/password-reset/${token}`), hours }));
}

export const AdminLinkSchema = z.object({
  kind: z.enum(["invitation", "password-reset"]),
  userId: z.string().min(1),
  by: z.string().min(1),
  baseUrl: BaseUrl,
});

export type AdminLinkOutcome = { ok: true; url: string; mailed: boolean } | { ok: false; error: "wrong-status" };

/**
 * An administrator's new invitation (for an invited person) or reset link
 * (for an active one): issued, audited, mailed when SMTP is set, and returned
 * so the admin can pass it on. The admin waits for SMTP to report "mailed".
 */
export async function issueAccountLink(db: Db, input: z.input<typeof AdminLinkSchema>): Promise<AdminLinkOutcome> {
  const { kind, userId, by, baseUrl } = AdminLinkSchema.parse(input);
  const user = await getUserSummary(db, userId);
  if (!user) return { ok: false, error: "wrong-status" };
  if (kind === "invitation") {
    const hours = env().INVITATION_TTL_HOURS;
    const token = await reissueInvitation(db, { userId, by, ttlHours: hours });
    if (!token) return { ok: false, error: "wrong-status" };
    const url = linkTo(baseUrl, `/invitations/${token}`);
    const mailed = await sendMail(invitationMessage({ to: user.email, name: user.name, link: url, hours }));
    return { ok: true, url, mailed };
  }
  const hours = env().PASSWORD_RESET_TTL_HOURS;
  const token = await createPasswordReset(db, { userId, by, ttlHours: hours });
  if (!token) return { ok: false, error: "wrong-status" };
  const url = linkTo(baseUrl, `/password-reset/${token}`);
  const mailed = await sendMail(passwordResetMessage({ to: user.email, name: user.name, link: url, hours }));
  return { ok: true, url, mailed };
}
