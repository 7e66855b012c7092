import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireCohortViewer } from "#app/auth/cohort-access.server";
import { progressGrid } from "#app/content.server/course.server";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { cohortProgress } from "#app/models/progress.server";

export const meta: MetaFunction = () => [{ title: "Cohort progress — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  const { cohort } = await requireCohortViewer(args, args.params.cohortId);
  const [curriculum, rows] = await Promise.all([getCurriculum(), cohortProgress(getDb(), cohort.id)]);
  const grid = progressGrid(curriculum, rows);
  // The page shows each cell's status only; dates, versions and emails (the CSV's) stay on the server, so the
  // loader data that travels beside the rendered grid is a third smaller (500 trainees: docs/benchmarks.md).
  return {
    cohort,
    modules: grid.modules,
    rows: grid.rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      completed: r.completed,
      cells: r.cells.map((c) => ({ status: c.status, updated: c.updated })),
    })),
  };
}

const SYMBOL = { completed: "✓", "in-progress": "…", "not-started": "–", locked: "🔒" } as const;
const WORDS = { completed: "completed", "in-progress": "in progress", "not-started": "not started", locked: "locked" } as const;

export default function CohortProgress() {
  const { cohort, modules, rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Course progress: {cohort.name}</h1>
      <div className="actions">
        <a className="button button--secondary" href={`/cohorts/${cohort.id}/progress.csv`} download>
          Download as CSV
        </a>
        <span className="muted">
          ✓ completed · … in progress · – not started · 🔒 waiting for earlier modules · ! updated since completed
        </span>
      </div>
      {rows.length === 0 ? <p>This cohort has no trainees yet.</p> : null}
      <div className="table-wrap">
        <table className="grid-table">
          <caption className="visually-hidden">Trainees (rows) by module (columns)</caption>
          <thead>
            <tr>
              <th scope="col">Trainee</th>
              {modules.map((m) => (
                <th scope="col" key={m.id}>
                  <abbr title={m.title}>{m.order}</abbr>
                </th>
              ))}
              <th scope="col">Done</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.userId}>
                <th scope="row">{r.name}</th>
                {r.cells.map((c, i) => (
                  <td key={modules[i]?.id} className={`cell cell--${c.status}`}>
                    <span aria-hidden="true">
                      {SYMBOL[c.status]}
                      {c.updated ? "!" : ""}
                    </span>
                    <span className="visually-hidden">
                      {modules[i]?.title}: {WORDS[c.status]}
                      {c.updated ? ", updated since completed" : ""}
                    </span>
                  </td>
                ))}
                <td>
                  {r.completed}/{modules.length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <Link to="/">← Home</Link>
      </p>
    </>
  );
}
