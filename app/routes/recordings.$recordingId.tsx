import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { RecordingRetentionForms, retentionFeedback } from "#app/components/recording-retention-forms";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { can } from "#app/domain/permissions";
import { phaseOf, planById } from "#app/domain/phases";
import { formatBytes, formatDuration, RECORDING_STATUS_LABELS } from "#app/domain/recording-labels";
import { casePlanId, startPlayback } from "#app/models/playback.server";
import { getRecording, relationsToRecording } from "#app/models/recording.server";
import { isWithdrawable } from "#app/models/recording-retention.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Recording"} — Attune` }];

/**
 * A recording and, when it is READY, its player. Opening the page starts one
 * playback session: a grant for the media URL and one `recording.played`
 * audit event (app/models/playback.server.ts). Its trainee, the case
 * supervisor, moderators and admins may open it; anyone else gets a 404.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "recording:play");
  const db = getDb();
  const r = args.params.recordingId ? await getRecording(db, args.params.recordingId) : null;
  if (!r) throw notFound();
  const relations = relationsToRecording(user, r);
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
  const playable = r.status === "READY" && r.wrappedKey !== null && r.mimeType !== null;
  const grant = playable ? await startPlayback(db, { userId: user.id, recordingId: r.id }) : null;
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
    player: grant
      ? {
          src: `/recordings/${encodeURIComponent(r.id)}/media?g=${grant.grantId}`,
          hasVideo: r.hasVideo,
          mimeType: r.mimeType as string,
          expiresAt: grant.expiresAt.toISOString(),
        }
      : null,
  };
}

export default function RecordingPage() {
  const r = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const feedback = retentionFeedback(params);
  return (
    <>
      <h1>{r.title}</h1>
      {r.player ? (
        <section aria-labelledby="player">
          <h2 id="player" className="visually-hidden">
            Player
          </h2>
          {r.player.hasVideo ? (
            // biome-ignore lint/a11y/useMediaCaption: session recordings have no caption track; the rating notes come later.
            <video
              className="recording-player"
              controls
              preload="metadata"
              controlsList="nodownload"
              src={r.player.src}
              aria-label={r.title}
            >
              Your browser cannot play this recording.
            </video>
          ) : (
            // biome-ignore lint/a11y/useMediaCaption: session recordings have no caption track.
            <audio
              className="recording-player"
              controls
              preload="metadata"
              controlsList="nodownload"
              src={r.player.src}
              aria-label={r.title}
            >
              Your browser cannot play this recording.
            </audio>
          )}
          <p className="hint">This page's player works for a few hours; reload the page to play again later.</p>
        </section>
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
    </>
  );
}
