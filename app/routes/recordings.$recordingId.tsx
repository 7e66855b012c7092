import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useRef, useState } from "react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { CommentTimeline } from "#app/components/comment-timeline";
import { ScoreTable } from "#app/components/rating-fields";
import { RecordingPlayer } from "#app/components/recording-player";
import { RecordingRetentionForms, retentionFeedback } from "#app/components/recording-retention-forms";
import { getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { frameworkLabel } from "#app/domain/framework";
import { type Actor, can, type Relation } from "#app/domain/permissions";
import { phaseOf, planById } from "#app/domain/phases";
import { RATER_ROLE_LABELS } from "#app/domain/rating-assignment";
import { itemTitles, scaleView, scoreRows } from "#app/domain/rating-form";
import { formatBytes, formatDuration, RECORDING_STATUS_LABELS } from "#app/domain/recording-labels";
import { casePlanId, playerFor } from "#app/models/playback.server";
import { asPhase, ratingStateOf, releasedRating } from "#app/models/rating.server";
import { getRecording, relationsToRecording } from "#app/models/recording.server";
import { isWithdrawable } from "#app/models/recording-retention.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Recording"} — Attune` }];

/**
 * A recording and, when it is READY, its player. Opening the page starts one
 * playback session: a grant for the media URL and one `recording.played`
 * audit event (app/models/playback.server.ts). Its trainee, the case
 * supervisor, its assigned raters, moderators and admins may open it; anyone
 * else gets a 404. Once its rating is final and released, the page shows it
 * item by item with the raters' feedback and time-stamped comments (which
 * seek the player) to those rating:view-final allows (docs/rating.md). Before
 * that it shows only where the rating stands, never a provisional rating.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "recording:play");
  const db = getDb();
  const r = args.params.recordingId ? await getRecording(db, args.params.recordingId) : null;
  if (!r) throw notFound();
  // A calibration attempt plays the recording on the calibration page only: this page names the trainee, the case
  // and the ratings, which a calibrating rater must not see (docs/reliability.md, "Calibration").
  const relations = relationsToRecording(user, r).filter((rel) => rel !== "calibration-rater");
  requireOn(user, "recording:play", relations);

  let of: { caseId: string; clientCode: string; session: number; phase: string } | null = null;
  if (r.caseSession) {
    const planId = await casePlanId(db, r.caseSession.case.id);
    of = {
      caseId: r.caseSession.case.id,
      clientCode: r.caseSession.case.clientCode,
      session: r.caseSession.number,
      phase: phaseOf(r.caseSession.number, planById(planId ?? "dit-16")).label,
    };
  }
  const [ratingState, rating] = await Promise.all([ratingStateOf(db, r.id), finalRatingView(user, relations, r.id)]);
  const ownAssignment = r.ratingAssignments.find((a) => a.raterId === user.id && a.purpose === "SUMMATIVE");
  return {
    id: r.id,
    title: of ? `Recording of case ${of.clientCode}, session ${of.session}` : "Role-play recording",
    of,
    owner: r.owner.name,
    status: r.status,
    statusLabel: RECORDING_STATUS_LABELS[r.status],
    rejectReason: r.rejectReason,
    duration: formatDuration(r.durationSeconds),
    uploadedOn: toDateInput(r.completedAt ?? r.createdAt),
    size: formatBytes(r.status === "READY" ? r.receivedBytes : r.declaredSize),
    sha256: r.sha256 ? r.sha256.slice(0, 12) : null,
    deleteAfter: r.deleteAfter ? toDateInput(r.deleteAfter) : null,
    legalHold: r.legalHold,
    withdrawnOn: r.withdrawnAt ? toDateInput(r.withdrawnAt) : null,
    canWithdraw: can(user, "recording:withdraw", relations) && (await isWithdrawable(db, r)),
    canHold: can(user, "recording:hold"),
    ratingState: ratingState?.state ?? null,
    rateHref: ownAssignment && can(user, "rating:rate", ["assigned-rater"]) ? `/ratings/${ownAssignment.id}` : null,
    ratersHref: can(user, "rating:assign", relations) ? `/recordings/${r.id}/raters` : null,
    moderateHref:
      ratingState?.state === "MODERATION" && ratingState.moderationId && can(user, "rating:moderate")
        ? `/moderation/${ratingState.moderationId}`
        : null,
    rating,
    player: await playerFor(db, user.id, r),
  };
}

/** The released final rating, for those who may see it; null otherwise (and always before release). */
async function finalRatingView(user: Actor, relations: Relation[], recordingId: string) {
  if (!can(user, "rating:view-final", relations)) return null;
  const released = await releasedRating(getDb(), recordingId);
  if (!released) return null;
  const framework = getFramework(released.frameworkId, released.frameworkVersion);
  if (!framework) return null;
  const phase = asPhase(released.phase);
  const titles = itemTitles(framework);
  const decided = {
    SINGLE: "One rater: their rating is the final rating.",
    DERIVED: `Two raters agreed within the framework's tolerance; the final score of each item is derived from both (${framework.rules.final.itemScore.replaceAll("-", " ")}).`,
    MODERATED: "The two raters disagreed; a moderator decided the final rating.",
  } as const;
  return {
    framework: `${framework.title} (${frameworkLabel(framework)})`,
    decidedBy: released.decidedBy ? decided[released.decidedBy] : "",
    releasedOn: released.releasedAt ? toDateInput(released.releasedAt) : "",
    mean: released.finalRating.mean === null ? "—" : released.finalRating.mean.toFixed(2),
    competent: released.finalRating.competent === true,
    rows: scoreRows(framework, phase, released.finalRating.scores),
    scale: scaleView(framework),
    moderation: released.moderation?.rationale
      ? {
          by: released.moderation.moderator?.name ?? "",
          rationale: released.moderation.rationale,
          feedback: released.finalRating.overallFeedback,
        }
      : null,
    feedback: released.provisional.map((p) => ({
      id: p.id,
      who: `${p.assignment ? RATER_ROLE_LABELS[p.assignment.role] : "Rater"}: ${p.rater?.name ?? ""}`,
      overall: p.overallFeedback,
      notes: p.scores.map((s) => ({ item: titles[s.itemId] ?? s.itemId, note: s.note })),
    })),
    comments: released.comments.map((c) => ({
      id: c.id,
      atSeconds: c.atSeconds,
      item: c.itemId ? (titles[c.itemId] ?? c.itemId) : null,
      body: c.body,
      author: c.author.name,
    })),
  };
}

export default function RecordingPage() {
  const r = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const feedback = retentionFeedback(params);
  const player = useRef<HTMLMediaElement | null>(null);
  const [source] = useState(r.player);
  return (
    <>
      <h1>{r.title}</h1>
      {source ? (
        <RecordingPlayer ref={player} source={source} title={r.title} />
      ) : (
        <p className="alert" role="status">
          {r.status === "UPLOADING" ? "This recording is still being uploaded." : null}
          {r.status === "REJECTED" ? `This upload was refused${r.rejectReason ? `: ${r.rejectReason}` : "."}` : null}
          {r.status === "WITHDRAWN" ? "This recording was withdrawn and can no longer be played." : null}
          {r.status === "PURGED" ? "This recording was deleted and can no longer be played." : null}
        </p>
      )}
      <dl className="details">
        <dt>Recording of</dt>
        <dd>
          {r.of ? (
            <>
              <Link to={`/cases/${r.of.caseId}`}>Case {r.of.clientCode}</Link>, session {r.of.session} ({r.of.phase})
            </>
          ) : (
            "Role-play assessment"
          )}
        </dd>
        <dt>Trainee</dt>
        <dd>{r.owner}</dd>
        <dt>Status</dt>
        <dd>
          {r.statusLabel}
          {r.withdrawnOn ? ` (${r.withdrawnOn})` : ""}
        </dd>
        <dt>Duration</dt>
        <dd>{r.duration}</dd>
        <dt>Uploaded</dt>
        <dd>{r.uploadedOn}</dd>
        <dt>Size</dt>
        <dd>{r.size}</dd>
        <dt>SHA-256</dt>
        <dd>{r.sha256 ? <code title="The first 12 hex digits of the file's SHA-256">{r.sha256}…</code> : "—"}</dd>
        <dt>Delete after</dt>
        <dd>{r.deleteAfter ?? "—"}</dd>
        <dt>Legal hold</dt>
        <dd>{r.legalHold ? "Yes: kept until the hold is lifted" : "No"}</dd>
      </dl>
      <RecordingRetentionForms
        recordingId={r.id}
        status={r.status}
        legalHold={r.legalHold}
        canWithdraw={r.canWithdraw}
        canHold={r.canHold}
        errors={feedback.errors}
        notice={feedback.notice}
      />
      <RatingSection r={r} player={player} />
    </>
  );
}

const RATING_STATE_TEXT: Record<string, string> = {
  RATING: "Being rated.",
  MODERATION: "The raters disagreed; a moderator is deciding the final rating.",
  FINAL: "The final rating is released.",
};

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function RatingSection({ r, player }: { r: Loaded; player: React.RefObject<HTMLMediaElement | null> }) {
  const links = [
    { to: r.rateHref, label: "Rate this recording" },
    { to: r.ratersHref, label: "Raters" },
    { to: r.moderateHref, label: "Moderate the disagreement" },
  ].filter((l): l is { to: string; label: string } => l.to !== null);
  const final = r.rating;
  return (
    <section aria-labelledby="rating">
      <h2 id="rating">Rating</h2>
      <p data-testid="rating-state">{r.ratingState ? RATING_STATE_TEXT[r.ratingState] : "Not rated yet."}</p>
      {links.length ? (
        <ul className="actions">
          {links.map((link) => (
            <li key={link.to}>
              <Link to={link.to}>{link.label}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      {final ? (
        <>
          <p data-testid="final-outcome">
            <strong>{final.competent ? "Competent" : "Not yet competent"}</strong> — mean score {final.mean}, released {final.releasedOn}.{" "}
            <span className="muted">
              {final.decidedBy} Framework: {final.framework}.
            </span>
          </p>
          <ScoreTable caption="Final rating, item by item" rows={final.rows} scale={final.scale} />
          {final.moderation ? (
            <div>
              <h3>The moderator's rationale ({final.moderation.by})</h3>
              <p className="prewrap">{final.moderation.rationale}</p>
              {final.moderation.feedback ? <p className="prewrap">{final.moderation.feedback}</p> : null}
            </div>
          ) : null}
          {final.feedback.map((f) => (
            <div key={f.id}>
              <h3>Feedback — {f.who}</h3>
              <p className="prewrap">{f.overall || "—"}</p>
              {f.notes.length ? (
                <ul>
                  {f.notes.map((n) => (
                    <li key={n.item}>
                      <strong>{n.item}:</strong> {n.note}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ))}
          <h3 id="released-comments">Comments on the recording</h3>
          <CommentTimeline comments={final.comments} player={player} labelledBy="released-comments" empty="The raters left no comments." />
          {/* The competence profile across rated recordings is wt-rel's (issue #9); link it here once it exists. */}
        </>
      ) : null}
    </section>
  );
}
