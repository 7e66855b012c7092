import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { STEP_STATE_LABELS } from "#app/domain/pathway";
import type { Relation } from "#app/domain/permissions";
import { cohortName, isCohortTrainer } from "#app/models/cohort.server";
import { evaluateCohort } from "#app/models/pathway-evidence.server";

export const meta: MetaFunction = () => [{ title: "Cohort pathway — Attune" }];

/** A cohort's trainees (rows) by pathway step (columns), for its trainers and administrators ("pathway:view"). */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "pathway:view");
  const db = getDb();
  const cohortId = args.params.cohortId ?? "";
  const name = cohortId ? await cohortName(db, cohortId) : null;
  if (!name) throw notFound();
  const relations: Relation[] = (await isCohortTrainer(db, user.id, cohortId)) ? ["cohort-trainer"] : [];
  requireOn(user, "pathway:view", relations);
  const { pathway, rows } = await evaluateCohort(cohortId);
  return {
    cohort: { id: cohortId, name },
    pathway: { id: pathway.id, version: pathway.version, title: pathway.title },
    steps: pathway.steps.map((s, i) => ({ id: s.id, number: i + 1, title: s.title })),
    rows: rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      complete: r.evaluation.complete,
      met: r.evaluation.steps.filter((s) => s.state === "met").length,
      cells: r.evaluation.steps.map((s) => ({ id: s.id, state: s.state })),
    })),
  };
}

const SYMBOL = { met: "✓", "not-yet": "…", blocked: "✕" } as const;

export default function CohortPathway() {
  const { cohort, pathway, steps, rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Pathway: {cohort.name}</h1>
      <p className="muted">
        {pathway.title}, version {pathway.version}. ✓ met · … not yet · ✕ blocked (a time limit has passed). Each trainee's page lists the
        evidence and what is missing.
      </p>
      {rows.length === 0 ? <p>This cohort has no trainees yet.</p> : null}
      <div className="table-wrap">
        <table className="grid-table">
          <caption className="visually-hidden">Trainees (rows) by pathway step (columns)</caption>
          <thead>
            <tr>
              <th scope="col">Trainee</th>
              {steps.map((s) => (
                <th scope="col" key={s.id}>
                  <abbr title={s.title}>{s.number}</abbr>
                </th>
              ))}
              <th scope="col">Met</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.userId}>
                <th scope="row">
                  <Link to={`/trainees/${r.userId}/pathway`}>{r.name}</Link>
                  {r.complete ? <span className="badge badge--met">Complete</span> : null}
                </th>
                {r.cells.map((c, i) => (
                  <td key={c.id} className={`cell cell--${c.state}`}>
                    <span aria-hidden="true">{SYMBOL[c.state]}</span>
                    <span className="visually-hidden">
                      {steps[i]?.title}: {STEP_STATE_LABELS[c.state]}
                    </span>
                  </td>
                ))}
                <td>
                  {r.met}/{steps.length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Steps</h2>
      <ol>
        {steps.map((s) => (
          <li key={s.id}>{s.title}</li>
        ))}
      </ol>
    </>
  );
}
