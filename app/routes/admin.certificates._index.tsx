import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { PUBLIC_STATUS_LABELS, type PublicStatus } from "#app/domain/certificate-rules";
import { ADMIN_PAGE_SIZE, listCertificates } from "#app/models/certificate.server";

export const meta: MetaFunction = () => [{ title: "Certificates — Attune" }];

const STATUSES = ["valid", "suspended", "revoked", "expired"] as const satisfies readonly PublicStatus[];

// Unknown filter values are ignored rather than refused: this is a search page.
const FilterSchema = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "certificate:manage");
  const filter = FilterSchema.parse(Object.fromEntries(new URL(args.request.url).searchParams));
  const page = filter.page ?? 1;
  const { total, rows } = await listCertificates(getDb(), { status: filter.status ?? null, page });
  return {
    filter,
    page,
    pages: Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE)),
    total,
    rows: rows.map((r) => ({
      code: r.code,
      holder: r.holderName,
      credential: r.credentialName,
      status: r.publicStatus,
      issued: dateFmt.format(r.issuedAt),
      expires: r.expiresAt ? dateFmt.format(r.expiresAt) : "Does not expire",
    })),
  };
}

const BADGE: Record<PublicStatus, string> = {
  valid: "badge",
  suspended: "badge badge--warn",
  revoked: "badge badge--off",
  expired: "badge badge--off",
};

export default function AdminCertificates() {
  const { rows, total, page, pages, filter } = useLoaderData<typeof loader>();
  const pageLink = (n: number) => `?${new URLSearchParams({ ...(filter.status ? { status: filter.status } : {}), page: String(n) })}`;
  return (
    <>
      <h1>Certificates</h1>
      <div className="actions">
        <Link to="/admin/certificates/queue" className="button">
          Certification queue
        </Link>
      </div>
      <Form method="get" className="filters panel" role="search" aria-label="Filter certificates">
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {PUBLIC_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Show
        </button>
      </Form>
      <p role="status">
        {total} {total === 1 ? "certificate" : "certificates"}
      </p>
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="muted">Certificates, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Holder</th>
                <th scope="col">Credential</th>
                <th scope="col">Status</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code}>
                  <td>
                    <Link to={`/admin/certificates/${r.code}`}>{r.code}</Link>
                  </td>
                  <td>{r.holder}</td>
                  <td>{r.credential}</td>
                  <td>
                    <span className={BADGE[r.status]}>{PUBLIC_STATUS_LABELS[r.status]}</span>
                  </td>
                  <td>{r.issued}</td>
                  <td>{r.expires}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pages > 1 ? (
        <nav className="pagination" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(page - 1)}>Previous page</Link> : null}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? <Link to={pageLink(page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
