import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { CASE_STATUS_LABELS } from "#app/domain/case-rules";
import { toDateInput } from "#app/domain/cohort-rules";
import { can } from "#app/domain/permissions";
import { listCasesFor } from "#app/models/case.server";

export const meta: MetaFunction = () => [{ title: "Training cases — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "case:list");
  const cases = await listCasesFor(getDb(), user);
  return {
    canCreate: can(user, "case:create"),
    cases: cases.map((c) => ({
      id: c.id,
      clientCode: c.clientCode,
      startedOn: toDateInput(c.startedOn),
      status: c.status,
      sessionCount: c.sessionCount,
      trainee: c.traineeId === user.id ? "You" : c.trainee.name,
      supervisor: c.supervisorId === user.id ? "You" : c.supervisor.name,
    })),
  };
}

export default function Cases() {
  const { cases, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Training cases</h1>
      <p className="lead">
        Supervised DIT cases of up to 16 sessions, with routine outcome measures and a supervision log. Clients appear only by their
        pseudonymous code.
      </p>
      {canCreate ? (
        <p>
          <Link className="button" to="/cases/new">
            Register a case
          </Link>{" "}
          <Link className="button button--secondary" to="/recordings/role-play">
            Role-play assessment
          </Link>
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Training cases</caption>
          <thead>
            <tr>
              <th scope="col">Client code</th>
              <th scope="col">Trainee</th>
              <th scope="col">Supervisor</th>
              <th scope="col">Started</th>
              <th scope="col">Sessions</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {cases.length === 0 ? (
              <tr>
                <td colSpan={6}>No cases yet.</td>
              </tr>
            ) : (
              cases.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/cases/${c.id}`}>{c.clientCode}</Link>
                  </td>
                  <td>{c.trainee}</td>
                  <td>{c.supervisor}</td>
                  <td>{c.startedOn}</td>
                  <td>{c.sessionCount}</td>
                  <td>{CASE_STATUS_LABELS[c.status]}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
