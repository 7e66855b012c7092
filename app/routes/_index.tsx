import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { CertificateNotices } from "#app/components/certificate-notices";
import { courseProgress } from "#app/content.server/course.server";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { formatMinutes, supervisionTotals } from "#app/domain/case-rules";
import { mayEver } from "#app/domain/permissions";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "#app/domain/roles";
import { supervisionAwaitingReview, supervisionOfTrainee } from "#app/models/case.server";
import { unseenNotices } from "#app/models/certificate.server";
import { cohortsForUser, superviseesOf } from "#app/models/cohort.server";
import { progressFor } from "#app/models/progress.server";
import { ratingWorkFor } from "#app/models/rating.server";

export const meta: MetaFunction = () => [{ title: "Home — Attune" }];

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "home:view");
  const db = getDb();
  const isTrainer = user.roles.includes("TRAINER");
  const isTrainee = user.roles.includes("TRAINEE");
  const [cohorts, supervisees, curriculum, progress, toReview, supervision, ratings, certificateNotices] = await Promise.all([
    cohortsForUser(db, user.id),
    isTrainer ? superviseesOf(db, user.id) : Promise.resolve([]),
    getCurriculum(),
    isTrainee ? progressFor(db, user.id) : Promise.resolve(null),
    isTrainer ? supervisionAwaitingReview(db, user.id) : Promise.resolve([]),
    isTrainee ? supervisionOfTrainee(db, user.id) : Promise.resolve(null),
    mayEver(user, "rating:list") ? ratingWorkFor(db, user, { take: 5 }) : Promise.resolve(null),
    unseenNotices(db, user.id),
  ]);
  const course = progress ? courseProgress(curriculum, progress) : null;
  return {
    name: user.name,
    roles: user.roles.map((r) => ({ role: r, label: ROLE_LABELS[r], description: ROLE_DESCRIPTIONS[r] })),
    isAdmin: user.roles.includes("ADMIN"),
    isTrainer,
    course,
    cohorts: cohorts.map((m) => ({
      id: m.cohort.id,
      name: m.cohort.name,
      role: m.role,
      dates: `${dateFmt.format(m.cohort.startsOn)} – ${m.cohort.endsOn ? dateFmt.format(m.cohort.endsOn) : "open"}`,
      supervisor: m.supervisor?.name ?? null,
    })),
    supervisees: supervisees.map((s) => ({ id: s.user.id, name: s.user.name, cohort: s.cohort.name })),
    toReview,
    supervision: supervision ? { confirmed: formatMinutes(supervisionTotals(supervision).confirmedMinutes) } : null,
    certificateNotices,
    // What waits in the rating workflow (docs/rating.md): links only, the pages check access again.
    ratings: ratings
      ? {
          toRate: ratings.toRate.map((a) => ({ href: `/ratings/${a.assignmentId}`, label: `${a.label} (${a.trainee})` })),
          toModerate: ratings.toModerate.map((m) => ({ href: `/moderation/${m.moderationId}`, label: `${m.label} (${m.trainee})` })),
          released: ratings.released.map((r) => ({
            href: `/recordings/${r.recordingId}#rating`,
            label: `${r.label}, released ${dateFmt.format(r.releasedAt)}`,
          })),
          needsRaters: ratings.needsRaters.map((r) => ({
            href: `/recordings/${r.recordingId}/raters`,
            label: `${r.label} (${r.trainee})`,
          })),
        }
      : null,
  };
}

export default function Home() {
  const home = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("welcome") ? (
        <div className="alert alert--success" role="status">
          Your password is set and you are signed in.
        </div>
      ) : null}
      <h1>Welcome, {home.name}</h1>
      <CertificateNotices notices={home.certificateNotices} back="/" />
      <section aria-labelledby="roles-title">
        <h2 id="roles-title">Your roles</h2>
        <ul>
          {home.roles.map((r) => (
            <li key={r.role}>
              <strong>{r.label}</strong> — {r.description}
            </li>
          ))}
        </ul>
      </section>
      <div className="grid">
        {home.course ? (
          <section className="panel" aria-labelledby="course-title">
            <h2 id="course-title">Your course</h2>
            <p data-testid="course-progress">
              {home.course.done} of {home.course.total} modules completed.
            </p>
            {home.course.next ? (
              <Link className="button" to={`/modules/${home.course.next.slug}`}>
                {home.course.next.started ? "Continue" : "Start"}: {home.course.next.title}
              </Link>
            ) : (
              <p>
                You have completed every module. <Link to="/modules">Review the course</Link>.
              </p>
            )}
          </section>
        ) : null}
        {home.supervision ? (
          <section className="panel" aria-labelledby="cases-title">
            <h2 id="cases-title">Your supervised cases</h2>
            <p data-testid="supervision-total">Confirmed supervision: {home.supervision.confirmed}.</p>
            <Link to="/cases">Your training cases</Link> · <Link to="/pathway">Your pathway checklist</Link>
          </section>
        ) : null}
        {home.toReview.length > 0 ? (
          <section className="panel" aria-labelledby="review-title">
            <h2 id="review-title">Supervision to confirm</h2>
            <ul>
              {home.toReview.map((c) => (
                <li key={c.id}>
                  <Link to={`/cases/${c.id}#supervision`}>
                    {c.trainee}, case {c.clientCode}
                  </Link>
                  : {c.pending} {c.pending === 1 ? "entry" : "entries"} awaiting confirmation
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {home.ratings ? <RatingPanels ratings={home.ratings} /> : null}
        <section className="panel" aria-labelledby="cohorts-title">
          <h2 id="cohorts-title">Your cohorts</h2>
          {home.cohorts.length === 0 ? (
            <p className="muted">You are not in a cohort yet.</p>
          ) : (
            <ul>
              {home.cohorts.map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong> ({c.role === "TRAINEE" ? "trainee" : "trainer"}), {c.dates}
                  {c.role === "TRAINER" ? (
                    <div>
                      <Link to={`/cohorts/${c.id}/progress`}>Course progress of this cohort</Link> ·{" "}
                      <Link to={`/cohorts/${c.id}/pathway`}>Pathway checklist</Link>
                    </div>
                  ) : null}
                  {c.role === "TRAINEE" ? <div className="muted">Supervisor: {c.supervisor ?? "not yet assigned"}</div> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
        {home.isTrainer ? (
          <section className="panel" aria-labelledby="supervisees-title">
            <h2 id="supervisees-title">Trainees you supervise</h2>
            {home.supervisees.length === 0 ? (
              <p className="muted">Nobody is assigned to you yet.</p>
            ) : (
              <ul>
                {home.supervisees.map((s) => (
                  <li key={`${s.id}-${s.cohort}`}>
                    <Link to={`/trainees/${s.id}/pathway`}>{s.name}</Link> <span className="muted">({s.cohort})</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
        {home.isAdmin ? (
          <section className="panel" aria-labelledby="admin-title">
            <h2 id="admin-title">Administration</h2>
            <ul>
              <li>
                <Link to="/admin/users/new">Invite a person</Link>
              </li>
              <li>
                <Link to="/admin/users">People and roles</Link>
              </li>
              <li>
                <Link to="/admin/cohorts">Cohorts</Link>
              </li>
              <li>
                <Link to="/admin/audit">Audit log</Link>
              </li>
            </ul>
          </section>
        ) : null}
      </div>
    </>
  );
}

type Waiting = { href: string; label: string }[];

/** The rating workflow's waiting lists, each a panel only when something waits. */
function RatingPanels({ ratings }: { ratings: { toRate: Waiting; toModerate: Waiting; released: Waiting; needsRaters: Waiting } }) {
  const panels = [
    { id: "to-rate", title: "Recordings to rate", items: ratings.toRate },
    { id: "to-moderate", title: "Disagreements to moderate", items: ratings.toModerate },
    { id: "released-ratings", title: "Your released ratings", items: ratings.released },
    { id: "needs-raters", title: "Recordings that need raters", items: ratings.needsRaters },
  ].filter((p) => p.items.length > 0);
  return (
    <>
      {panels.map((p) => (
        <section key={p.id} className="panel" aria-labelledby={`${p.id}-title`} data-testid={`home-${p.id}`}>
          <h2 id={`${p.id}-title`}>{p.title}</h2>
          <ul>
            {p.items.map((item) => (
              <li key={item.href}>
                <Link to={item.href}>{item.label}</Link>
              </li>
            ))}
          </ul>
          <Link to="/ratings">All your rating work</Link>
        </section>
      ))}
    </>
  );
}
