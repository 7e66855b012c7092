import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { listAuditEvents } from "#app/models/audit.server";

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
  const db = getDb();
  const events = await listAuditEvents(db, { ...filter, take: PAGE });
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(events.flatMap((e) => [e.actorId, e.subjectId]).filter((v): v is string => Boolean(v)))] } },
    select: { id: true, name: true },
  });
  const names = Object.fromEntries(people.map((p) => [p.id, p.name]));
  return {
    filter,
    events: events.map((e) => ({
      ...e,
      createdAt: e.createdAt.toISOString(),
      actor: e.actorId ? (names[e.actorId] ?? e.actorId) : "—",
      subject: e.subjectId ? (names[e.subjectId] ?? e.subjectId) : "—",
    })),
    older: events.length === PAGE ? events[events.length - 1]?.id : undefined,
  };
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
      <div className="table-wrap">
        <table>
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
      </div>
      {older ? (
        <p className="pagination">
          <Link to={`?${new URLSearchParams({ ...(filter.type ? { type: filter.type } : {}), before: String(older) })}`}>Older events</Link>
        </p>
      ) : null}
    </>
  );
}
