import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { can } from "#app/domain/permissions";
import { traineesVisibleTo } from "#app/models/competence.server";

export const meta: MetaFunction = () => [{ title: "Competence profiles — Attune" }];

/** A trainee goes to their own profile; others see the trainees whose profiles they may open. */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "competence:view");
  const all = can(user, "competence:view");
  if (!all && user.roles.includes("TRAINEE") && !user.roles.includes("TRAINER")) {
    throw redirect(`/competence/${encodeURIComponent(user.id)}`);
  }
  const trainees = await traineesVisibleTo(getDb(), user, all);
  return { trainees, own: user.roles.includes("TRAINEE") ? user.id : null };
}

export default function CompetenceIndex() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Competence profiles</h1>
      {d.own ? (
        <p>
          <Link to={`/competence/${d.own}`}>Your own competence profile</Link>
        </p>
      ) : null}
      {d.trainees.length ? (
        <ul>
          {d.trainees.map((t) => (
            <li key={t.id}>
              <Link to={`/competence/${t.id}`}>{t.name}</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>There are no trainees whose profile you can see.</p>
      )}
    </>
  );
}
