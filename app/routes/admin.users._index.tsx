import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { ROLE_LABELS, ROLES } from "#app/domain/roles";
import { listUsers } from "#app/models/user.server";

export const meta: MetaFunction = () => [{ title: "People — Attune" }];

const STATUSES = ["INVITED", "ACTIVE", "DEACTIVATED"] as const;
const STATUS_LABELS: Record<(typeof STATUSES)[number], string> = {
  INVITED: "Invited",
  ACTIVE: "Active",
  DEACTIVATED: "Deactivated",
};

// Unknown filter values are ignored rather than refused: this is a search page.
const FilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "users:manage");
  const url = new URL(args.request.url);
  const filter = FilterSchema.parse(Object.fromEntries(url.searchParams));
  const result = await listUsers(getDb(), filter);
  return { ...result, filter };
}

function pageLink(filter: Record<string, unknown>, page: number) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v && k !== "page") params.set(k, String(v));
  params.set("page", String(page));
  return `?${params}`;
}

export default function Users() {
  const { users, total, page, pages, filter } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>People</h1>
      <div className="actions">
        <Link to="/admin/users/new" className="button">
          Invite a person
        </Link>
      </div>
      <Form method="get" className="filters panel" role="search" aria-label="Find people">
        <div className="field">
          <label htmlFor="q">Name or email</label>
          <input id="q" name="q" type="search" defaultValue={filter.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="role">Role</label>
          <select id="role" name="role" defaultValue={filter.role ?? ""}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Search
        </button>
      </Form>
      <p role="status">
        {total} {total === 1 ? "person" : "people"} found
      </p>
      <div className="table-wrap">
        <table>
          <caption className="muted">People with access to Attune</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
                </td>
                <td>{u.email}</td>
                <td>
                  {u.roles.map((r) => (
                    <span className="badge" key={r}>
                      {ROLE_LABELS[r]}
                    </span>
                  ))}
                </td>
                <td>
                  <span className={`badge${u.status === "DEACTIVATED" ? " badge--off" : u.status === "INVITED" ? " badge--warn" : ""}`}>
                    {STATUS_LABELS[u.status]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav className="pagination" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(filter, page - 1)}>Previous page</Link> : null}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? <Link to={pageLink(filter, page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
