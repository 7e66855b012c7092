import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { listAuditPage } from "#app/models/audit.server";

export const meta: MetaFunction = () => [{ title: "Audit log — Attune" }];

const PAGE = 50;
const FilterSchema = z.object({
  before: z.coerce.number().int().positive().optional().catch(undefined),
  type: z
    .string()
    .regex(/^[a-z_.]{1,60}$/)
    .optional()
    .catch(undefined),
});

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "audit:read");
  const filter = FilterSchema.parse(Object.fromEntries(new URL(args.request.url).searchParams));
  const events = await listAuditPage(getDb(), filter, PAGE);
  return { filter, events, older: events.length === PAGE ? events[events.length - 1]?.id : undefined };
}

export default function AuditLog() {
  const { events, filter, older } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">
        Append-only; each entry carries the hash of the one before. Check the whole chain with <code>npm run audit:verify</code>.
      </p>
      <Form method="get" className="filters panel" aria-label="Filter events">
        <div className="field">
          <label htmlFor="type">Event type</label>
          <input id="type" name="type" type="text" defaultValue={filter.type ?? ""} placeholder="e.g. auth.login_failed" />
        </div>
        <button type="submit" className="button button--secondary">
          Filter
        </button>
      </Form>
      {/* Scrolls sideways on narrow screens: a named, focusable region, so keyboard users can scroll it too (axe scrollable-region-focusable). */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard */}
      <section className="table-wrap" tabIndex={0} aria-labelledby="audit-caption">
        <table>
          <caption id="audit-caption" className="visually-hidden">
            Audit events, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When (UTC)</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
              <th scope="col">About</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>{e.createdAt.replace("T", " ").slice(0, 19)}</td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td>{e.actor}</td>
                <td>{e.subject}</td>
                <td>
                  <code>{e.data === "{}" ? "" : e.data}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {older ? (
        <p className="pagination">
          <Link to={`?${new URLSearchParams({ ...(filter.type ? { type: filter.type } : {}), before: String(older) })}`}>Older events</Link>
        </p>
      ) : null}
    </>
  );
}
