import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { CalibrationStatus } from "#app/components/calibration-status";
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { mayEver } from "#app/domain/permissions";
import { RATER_ROLE_LABELS } from "#app/domain/rating-assignment";
import { calibrationSummary } from "#app/models/calibration.server";
import { ratingWorkFor } from "#app/models/rating.server";

export const meta: MetaFunction = () => [{ title: "Ratings — Attune" }];

/**
 * One person's rating work (docs/rating.md): recordings they are asked to
 * rate and those they rated, disagreements waiting for a moderator, their own
 * released final ratings, and recordings still needing raters (for whoever
 * assigns them). Only one's own things: another person's never appear.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "rating:list");
  const work = await ratingWorkFor(getDb(), user);
  // Calibration (issue #9, wt-rel): where this rater stands for the current framework version.
  const calibration = mayEver(user, "calibration:attempt") ? await calibrationSummary(getDb(), user.id, currentFramework()) : null;
  return {
    calibration: calibration && { ...calibration, qualifiedOn: calibration.qualifiedAt ? toDateInput(calibration.qualifiedAt) : null },
    isTrainee: user.roles.includes("TRAINEE"),
    isRater: user.roles.includes("TRAINER") || user.roles.includes("MODERATOR"),
    isModerator: user.roles.includes("MODERATOR"),
    assigns: user.roles.includes("ADMIN") || user.roles.includes("TRAINER"),
    toRate: work.toRate.map((a) => ({ ...a, role: RATER_ROLE_LABELS[a.role], assignedOn: toDateInput(a.assignedAt) })),
    rated: work.rated.map((a) => ({ ...a, role: RATER_ROLE_LABELS[a.role], submittedOn: a.submittedAt ? toDateInput(a.submittedAt) : "" })),
    toModerate: work.toModerate.map((m) => ({ ...m, openedOn: toDateInput(m.openedAt) })),
    released: work.released.map((r) => ({ ...r, releasedOn: toDateInput(r.releasedAt) })),
    needsRaters: work.needsRaters.map((r) => ({ ...r, missing: r.missing.map((role) => RATER_ROLE_LABELS[role]).join(" and ") })),
  };
}

const STATE: Record<string, string> = {
  RATING: "waiting for the other rating",
  MODERATION: "with a moderator",
  FINAL: "final rating released",
};

export default function RatingsPage() {
  const w = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Ratings</h1>
      {w.calibration ? <CalibrationStatus {...w.calibration} /> : null}
      {w.isRater || w.toRate.length ? (
        <section aria-labelledby="to-rate">
          <h2 id="to-rate">Recordings to rate</h2>
          {w.toRate.length === 0 ? (
            <p className="muted">Nothing to rate just now.</p>
          ) : (
            <ul data-testid="to-rate">
              {w.toRate.map((a) => (
                <li key={a.assignmentId}>
                  <Link to={`/ratings/${a.assignmentId}`}>{a.label}</Link> — {a.trainee}, {a.role.toLowerCase()}, assigned {a.assignedOn}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {w.isModerator ? (
        <section aria-labelledby="to-moderate">
          <h2 id="to-moderate">Disagreements to moderate</h2>
          {w.toModerate.length === 0 ? (
            <p className="muted">No disagreement is waiting.</p>
          ) : (
            <ul data-testid="to-moderate">
              {w.toModerate.map((m) => (
                <li key={m.moderationId}>
                  <Link to={`/moderation/${m.moderationId}`}>{m.label}</Link> — {m.trainee}, since {m.openedOn}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {w.isTrainee || w.released.length ? (
        <section aria-labelledby="released">
          <h2 id="released">Your released ratings</h2>
          {w.released.length === 0 ? (
            <p className="muted">None of your recordings has a final rating yet.</p>
          ) : (
            <ul data-testid="released">
              {w.released.map((r) => (
                <li key={r.recordingId}>
                  <Link to={`/recordings/${r.recordingId}#rating`}>{r.label}</Link> — released {r.releasedOn}
                  {r.competent === null ? "" : r.competent ? ", competent" : ", not yet competent"}
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to="/competence">Your competence profile</Link>: these final ratings over time, item by item.
          </p>
        </section>
      ) : null}
      {w.assigns && w.needsRaters.length ? (
        <section aria-labelledby="needs-raters">
          <h2 id="needs-raters">Recordings that need raters</h2>
          <ul data-testid="needs-raters">
            {w.needsRaters.map((r) => (
              <li key={r.recordingId}>
                <Link to={`/recordings/${r.recordingId}/raters`}>{r.label}</Link> — {r.trainee}: needs a {r.missing.toLowerCase()}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {w.rated.length ? (
        <section aria-labelledby="rated">
          <h2 id="rated">Recordings you rated</h2>
          <ul data-testid="rated">
            {w.rated.map((a) => (
              <li key={a.assignmentId}>
                <Link to={`/ratings/${a.assignmentId}`}>{a.label}</Link> — submitted {a.submittedOn}, {STATE[a.state]}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
