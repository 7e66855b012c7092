import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import {
  certificateJson,
  DashboardQuerySchema,
  formatDay,
  PUBLIC_STATUSES,
  registerQueryInput,
  STATUS_TEXT,
} from "#app/domain/verification";
import { parseWith } from "#app/forms/parse";
import { accreditedCertificates, accreditingBodyOf } from "#app/models/accreditor.server";

export const meta: MetaFunction = () => [{ title: "Accreditation — Attune" }];

/**
 * An accreditor's dashboard: the certificates whose home registration body is the body the accreditor acts for
 * (User.accreditingBody), by status, searchable. The "accrediting-body" relation is the query itself: no other
 * body's practitioners are ever read.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "accreditor:dashboard");
  const db = getDb();
  const body = await accreditingBodyOf(db, user.id);
  if (!body) return { kind: "unlinked" as const };
  const input = registerQueryInput(new URL(args.request.url));
  const parsed = parseWith(DashboardQuerySchema, input);
  if (!parsed.ok) return data({ kind: "invalid" as const, body, errors: parsed.errors, q: (input.q ?? "").slice(0, 100) }, { status: 400 });
  const { q, page, status } = parsed.data;
  const found = await accreditedCertificates(db, { body, status: status ?? null, q, page }, args.context.appUrl);
  return { kind: "page" as const, q, status: status ?? null, ...found, results: found.results.map(certificateJson) };
}

function link(q: string, status: string | null, page: number) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (status) params.set("status", status);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/accreditor?${query}` : "/accreditor";
}

export default function AccreditorDashboard() {
  const result = useLoaderData<typeof loader>();
  if (result.kind === "unlinked") {
    return (
      <>
        <h1>Accreditation</h1>
        <div className="alert" role="status">
          Your account is not linked to an accrediting body yet, so there is nobody to list here. An administrator can set the body you act
          for on your account under People.
        </div>
        <p>
          You can already <Link to="/accreditor/bulk">verify certificates in bulk</Link>, <Link to="/verify">check one code</Link> or{" "}
          <Link to="/register">search the public register</Link>.
        </p>
      </>
    );
  }
  const errors = result.kind === "invalid" ? result.errors : {};
  return (
    <>
      <h1>Practitioners registered with {result.body}</h1>
      <p className="lead">
        Attune certificates whose holders gave {result.body} as their home registration body, with each one's status now.{" "}
        <Link to="/accreditor/bulk">Verify a list of certificates</Link> from a CSV file.
      </p>
      {result.kind === "page" ? (
        <ul className="actions" aria-label="Certificates by status">
          {PUBLIC_STATUSES.map((s) => (
            <li key={s}>
              <Link to={link(result.q, s, 1)} aria-current={result.status === s ? "true" : undefined}>
                {STATUS_TEXT[s].label}: {result.counts[s]}
              </Link>
            </li>
          ))}
          {result.status ? (
            <li>
              <Link to={link(result.q, null, 1)}>All</Link>
            </li>
          ) : null}
        </ul>
      ) : null}
      <form method="get" action="/accreditor" className="filters search-form" aria-label="Search these practitioners" noValidate>
        <div className="field">
          <label htmlFor="dashboard-q">Name or registration number</label>
          <input
            id="dashboard-q"
            name="q"
            type="search"
            defaultValue={result.q}
            maxLength={100}
            aria-invalid={errors.q ? true : undefined}
            aria-describedby={errors.q ? "dashboard-q-error" : undefined}
          />
          {errors.q ? (
            <p className="field-error" id="dashboard-q-error">
              {errors.q}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="dashboard-status">Status</label>
          <select id="dashboard-status" name="status" defaultValue={result.kind === "page" ? (result.status ?? "") : ""}>
            <option value="">Any status</option>
            {PUBLIC_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_TEXT[s].label}
              </option>
            ))}
          </select>
          {errors.status ? <p className="field-error">{errors.status}</p> : null}
        </div>
        <button type="submit" className="button button--secondary">
          Show
        </button>
      </form>
      {result.kind === "invalid" && errors.page ? (
        <div className="alert alert--error" role="alert">
          {errors.page}
        </div>
      ) : null}
      {result.kind === "page" ? (
        <>
          <p role="status">
            {result.total} {result.total === 1 ? "certificate" : "certificates"}
            {result.status ? ` ${STATUS_TEXT[result.status].label.toLowerCase()}` : ""}
            {result.q ? ` matching “${result.q}”` : ""}
          </p>
          {result.results.length ? (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Certificates of practitioners registered with {result.body}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Registration number</th>
                    <th scope="col">Credential</th>
                    <th scope="col">Status</th>
                    <th scope="col">Issued</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Certificate</th>
                  </tr>
                </thead>
                <tbody>
                  {result.results.map((c) => (
                    <tr key={c.code}>
                      <td>{c.holder.name}</td>
                      <td>{c.holder.registrationNumber ?? "Not recorded"}</td>
                      <td>{c.credential}</td>
                      <td>
                        <span className={`badge${c.status === "valid" ? "" : " badge--warn"}`}>{STATUS_TEXT[c.status].label}</span>
                      </td>
                      <td>{formatDay(c.issuedAt)}</td>
                      <td>{c.expiresAt ? formatDay(c.expiresAt) : "Does not expire"}</td>
                      <td>
                        <Link to={`/verify/${c.code}`}>{c.code}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {result.pages > 1 ? (
            <nav className="pagination" aria-label="Pages">
              {result.page > 1 ? <Link to={link(result.q, result.status, result.page - 1)}>Previous page</Link> : null}
              <span>
                Page {result.page} of {result.pages}
              </span>
              {result.page < result.pages ? <Link to={link(result.q, result.status, result.page + 1)}>Next page</Link> : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </>
  );
}
