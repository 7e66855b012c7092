import { noticeText } from "#app/domain/certificate-rules";
import { linkTo, mailConfigured, sendMail } from "#app/mail/mailer.server";
import { sendLater } from "#app/mail/outbox.server";
import type { CertificateNotice } from "#app/models/certificate.server";

/**
 * Telling a holder what happened to their certificate. The home page shows
 * the unseen CertificateEvents (app/models/certificate.server.ts
 * unseenNotices, worded by noticeText); this sends the same by mail when SMTP_URL is set, after the
 * response (app/mail/outbox.server.ts). A mail names the certificate and links
 * to its page, nothing more: no reason, nothing clinical — the holder reads
 * the rest after signing in.
 */

export function certificateNoticeMessage(notice: CertificateNotice & { to: { email: string; name: string } }, baseUrl: string) {
  const link = linkTo(baseUrl, `/certificates/${notice.code}`);
  return {
    to: notice.to.email,
    subject: notice.type === "EXPIRY_NOTICE" ? "Your Attune certificate expires soon" : "News about your Attune certificate",
    text: `Hello ${notice.to.name},\n\n${noticeText(notice.type, notice.credential, notice.expiresAt)}\nSign in to see the details:\n\n${link}\n`,
  };
}

/** Queues the mail of each notice (when SMTP is set and the holder can be mailed). */
export function mailNotices(notices: readonly CertificateNotice[], baseUrl: string): void {
  if (!mailConfigured()) return;
  for (const notice of notices) {
    const to = notice.to;
    if (!to) continue;
    sendLater(() => sendMail(certificateNoticeMessage({ ...notice, to }, baseUrl)));
  }
}
