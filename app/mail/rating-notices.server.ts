import type { Db } from "#app/db.server";
import { linkTo, mailConfigured, sendMail } from "#app/mail/mailer.server";
import { sendLater } from "#app/mail/outbox.server";
import { moderatorsToTell, type RatingNotice } from "#app/models/rating.server";
import { getUserSummary } from "#app/models/user.server";

/**
 * Mail about the rating workflow, when SMTP_URL is set, after the response
 * (app/mail/outbox.server.ts): a rater when assigned, the moderators when a
 * disagreement arrives (not its own raters), the trainee when a final rating
 * is released. A mail says only that something waits and links to it: no
 * client code, session, score or comment (docs/rating.md, "Telling people").
 * Each person's home page lists the same things, mail or not.
 */

type Message = { to: string; subject: string; text: string };

export function ratingNoticeMessage(notice: RatingNotice, to: { email: string; name: string }, baseUrl: string): Message {
  switch (notice.kind) {
    case "assigned":
      return {
        to: to.email,
        subject: "A recording to rate on Attune",
        text: `Hello ${to.name},\n\nYou have been asked to rate a recording on Attune. Open it here (you will be asked to sign in):\n\n${linkTo(baseUrl, `/ratings/${notice.assignmentId}`)}\n`,
      };
    case "moderation":
      return {
        to: to.email,
        subject: "A rating to moderate on Attune",
        text: `Hello ${to.name},\n\nTwo raters of a recording disagree, and a moderator is needed. Open it here (you will be asked to sign in):\n\n${linkTo(baseUrl, `/moderation/${notice.moderationId}`)}\n`,
      };
    case "released":
      return {
        to: to.email,
        subject: "Your rating is ready on Attune",
        text: `Hello ${to.name},\n\nThe final rating of one of your recordings has been released. Read it here (you will be asked to sign in):\n\n${linkTo(baseUrl, `/recordings/${notice.recordingId}#rating`)}\n`,
      };
  }
}

async function recipients(db: Db, notice: RatingNotice): Promise<{ email: string; name: string }[]> {
  if (notice.kind === "moderation") return moderatorsToTell(db, notice.raterIds);
  const user = await getUserSummary(db, notice.userId);
  return user?.status === "ACTIVE" ? [user] : [];
}

/** Queues the mails for these notices (nothing when SMTP is not configured). */
export function tellAboutRatings(db: Db, notices: readonly RatingNotice[], baseUrl: string): void {
  if (!mailConfigured() || notices.length === 0) return;
  sendLater(async () => {
    for (const notice of notices) {
      for (const to of await recipients(db, notice)) await sendMail(ratingNoticeMessage(notice, to, baseUrl));
    }
  });
}
