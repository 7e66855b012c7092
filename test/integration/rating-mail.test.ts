// Mail of the rating workflow (docs/rating.md, "Telling people") against a real SMTP server on loopback: the rater
// when assigned, the moderators when a disagreement arrives (never its own raters), the trainee when the final rating
// is released. Each mail is a link built from APP_URL and nothing clinical: no client code, score or comment.
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { outboxIdle } from "#app/mail/outbox.server";
import * as moderationPage from "#app/routes/moderation.$moderationId";
import * as raterPage from "#app/routes/ratings.$assignmentId";
import * as ratersPage from "#app/routes/recordings.$recordingId.raters";
import { callAction, cookieFor, makeUser } from "../support/app";
import { calibratedRater, ratingScene } from "../support/rating-scene";
import { smtpInbox } from "../support/smtp-inbox";

const inbox = smtpInbox({ env: { APP_URL: "https://attune.example.org" } });

const to = (email: string) => inbox.filter((m) => m.to.includes(email));

describe("rating mail", () => {
  it("tells the rater, then the moderators, then the trainee; each mail only a link", async () => {
    const s = await ratingScene({ second: false });
    const db = getDb();
    const email = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).email;

    // The supervisor assigns the second rater: they are told.
    const second = await calibratedRater();
    const assigned = await callAction(ratersPage.action, {
      path: `/recordings/${s.recordingId}/raters`,
      params: { recordingId: s.recordingId },
      cookie: await cookieFor(s.supervisor.id),
      form: { intent: "assign", role: "SECOND", raterId: second.id },
    });
    expect(assigned.status).toBe(302);
    await outboxIdle();
    const assignment = await db.ratingAssignment.findFirstOrThrow({ where: { recordingId: s.recordingId, raterId: second.id } });
    const [rater] = to(await email(second.id));
    expect(rater?.body).toMatch(/Subject: A recording to rate on Attune/);
    expect(rater?.body).toContain(`https://attune.example.org/ratings/${assignment.id}`);

    // They disagree: the moderators are told (a moderator who is one of the raters is not).
    const moderator = await makeUser(["MODERATOR"]);
    await db.userRole.create({ data: { userId: second.id, role: "MODERATOR" } });
    const submit = async (assignmentId: string, raterId: string, ea: string, fi: string) =>
      callAction(raterPage.action, {
        path: `/ratings/${assignmentId}`,
        params: { assignmentId },
        cookie: await cookieFor(raterId),
        form: { intent: "submit", "score.engagement-alliance": ea, "score.formulating-ipaf": fi, overallFeedback: "Clinical words" },
      });
    expect((await submit(s.primaryAssignment, s.primary.id, "6", "6")).status).toBe(302);
    expect((await submit(assignment.id, second.id, "1", "2")).status).toBe(302);
    await outboxIdle();
    const moderation = await db.moderation.findFirstOrThrow({ where: { assessment: { recordingId: s.recordingId } } });
    const [toModerator] = to(moderator.email);
    expect(toModerator?.body).toMatch(/Subject: A rating to moderate on Attune/);
    expect(toModerator?.body).toContain(`https://attune.example.org/moderation/${moderation.id}`);
    expect(to(await email(second.id)).filter((m) => m.body.includes("/moderation/"))).toEqual([]);

    // The moderator settles: the trainee is told.
    const settled = await callAction(moderationPage.action, {
      path: `/moderation/${moderation.id}`,
      params: { moderationId: moderation.id },
      cookie: await cookieFor(moderator.id),
      form: { intent: "settle", "score.engagement-alliance": "4", "score.formulating-ipaf": "3", rationale: "Clinical reasons" },
    });
    expect(settled.status).toBe(302);
    await outboxIdle();
    const [toTrainee] = to(await email(s.trainee.id));
    expect(toTrainee?.body).toMatch(/Subject: Your rating is ready on Attune/);
    expect(toTrainee?.body).toContain(`https://attune.example.org/recordings/${s.recordingId}#rating`);

    for (const mail of [rater, toModerator, toTrainee]) {
      expect(mail?.body).not.toContain(s.clientCode);
      expect(mail?.body).not.toMatch(/Clinical|competent|score/i);
    }
  });
});
