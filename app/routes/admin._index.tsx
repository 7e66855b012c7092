import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { cohortsWithUnsupervisedTrainees, pendingInvitations, recentlyDeactivated } from "#app/models/admin-overview.server";

export const meta: MetaFunction = () => [{ title: "Administration — Attune" }];

/** How far back "recently deactivated" looks. */
const RECENT_DAYS = 30;

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "admin:view");
  const db = getDb();
  const now = new Date();
  const [invitations, deactivated, unsupervised] = await Promise.all([
    pendingInvitations(db, { now }),
    recentlyDeactivated(db, { since: new Date(now.getTime() - RECENT_DAYS * 86_400_000) }),
    cohortsWithUnsupervisedTrainees(db),
  ]);
  return {
    invitations: {
      total: invitations.total,
      people: invitations.people.map((p) => ({
        id: p.id,
        name: p.name,
        email: p.email,
        invitedOn: dateFmt.format(p.invitedAt),
        link: p.linkExpired ? "expired" : `expires ${dateFmt.format(p.linkExpiresAt as Date)}`,
        expired: p.linkExpired,
      })),
    },
    deactivated: {
      total: deactivated.total,
      people: deactivated.people.map((p) => ({ id: p.id, name: p.name, email: p.email, on: dateFmt.format(p.deactivatedAt) })),
    },
    unsupervised,
  };
}

function More({ shown, total, to, what }: { shown: number; total: number; to: string; what: string }) {
  if (total <= shown) return null;
  return (
    <p>
      <Link to={to}>
        All {total} {what}
      </Link>
    </p>
  );
}

export default function Administration() {
  const { invitations, deactivated, unsupervised } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Administration</h1>
      <nav aria-label="Administration">
        <ul className="admin-links">
          <li>
            <Link to="/admin/users">People and roles</Link>
          </li>
          <li>
            <Link to="/admin/users/new">Invite a person</Link>
          </li>
          <li>
            <Link to="/admin/cohorts">Cohorts</Link>
          </li>
          <li>
            <Link to="/admin/certificates">Certificates</Link>
          </li>
          <li>
            <Link to="/admin/certificates/queue">Certification queue</Link>
          </li>
          <li>
            <Link to="/admin/audit">Audit log</Link>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="invitations-title">
        <h2 id="invitations-title">Invitations not yet accepted ({invitations.total})</h2>
        {invitations.total === 0 ? (
          <p className="muted">Everyone invited has set a password.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="muted">People invited who have not set a password yet, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Invited</th>
                  <th scope="col">Link</th>
                </tr>
              </thead>
              <tbody>
                {invitations.people.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/admin/users/${p.id}`}>{p.name}</Link>
                    </td>
                    <td>{p.email}</td>
                    <td>{p.invitedOn}</td>
                    <td>{p.expired ? <span className="badge badge--warn">Expired: send a new link</span> : p.link}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <More shown={invitations.people.length} total={invitations.total} to="/admin/users?status=INVITED" what="invited people" />
      </section>

      <section aria-labelledby="deactivated-title">
        <h2 id="deactivated-title">
          Deactivated in the last {RECENT_DAYS} days ({deactivated.total})
        </h2>
        {deactivated.total === 0 ? (
          <p className="muted">Nobody was deactivated recently.</p>
        ) : (
          <ul>
            {deactivated.people.map((p) => (
              <li key={p.id}>
                <Link to={`/admin/users/${p.id}`}>{p.name}</Link> <span className="muted">({p.email})</span>, {p.on}
              </li>
            ))}
          </ul>
        )}
        <More shown={deactivated.people.length} total={deactivated.total} to="/admin/users?status=DEACTIVATED" what="deactivated people" />
      </section>

      <section aria-labelledby="unsupervised-title">
        <h2 id="unsupervised-title">Cohorts with trainees who have no supervisor ({unsupervised.total})</h2>
        {unsupervised.total === 0 ? (
          <p className="muted">Every trainee has a supervisor.</p>
        ) : (
          <ul>
            {unsupervised.cohorts.map((c) => (
              <li key={c.id}>
                <Link to={`/admin/cohorts/${c.id}`}>{c.name}</Link>: {c.trainees} {c.trainees === 1 ? "trainee" : "trainees"} without a
                supervisor
              </li>
            ))}
          </ul>
        )}
        <More shown={unsupervised.cohorts.length} total={unsupervised.total} to="/admin/cohorts" what="cohorts" />
      </section>
    </>
  );
}
