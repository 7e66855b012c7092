import { Link } from "@remix-run/react";

export type CertificateNoticeView = { id: string; at: string; text: string; code: string };

/**
 * What happened to the person's certificates that they have not dismissed yet
 * (issued, suspended, reinstated, revoked, renewed, expiring): on the home page
 * and on /certificates. Dismissing posts to /certificates, which comes back to
 * `back`. Plain forms: no JavaScript needed.
 */
export function CertificateNotices({ notices, back }: { notices: readonly CertificateNoticeView[]; back: string }) {
  if (notices.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="certificate-notices-title">
      <h2 id="certificate-notices-title">About your certificates</h2>
      <ul className="notice-list">
        {notices.map((n) => (
          <li key={n.id}>
            <span>
              {n.text} <Link to={`/certificates/${n.code}`}>See certificate {n.code}</Link> <span className="muted">({n.at})</span>
            </span>
            <form method="post" action="/certificates">
              <input type="hidden" name="intent" value="dismiss" />
              <input type="hidden" name="eventId" value={n.id} />
              <input type="hidden" name="back" value={back} />
              <button type="submit" className="button button--secondary" aria-label={`Dismiss: ${n.text}`}>
                Dismiss
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}
