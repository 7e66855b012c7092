import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field } from "#app/components/field";
import { getDb } from "#app/db.server";
import { CohortSchema, toDateInput } from "#app/domain/cohort-rules";
import { type FieldErrors, parseForm } from "#app/forms/parse";
import { createCohort, listCohorts } from "#app/models/cohort.server";

export const meta: MetaFunction = () => [{ title: "Cohorts — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "cohorts:manage");
  return { cohorts: await listCohorts(getDb()) };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requirePermission(args, "cohorts:manage");
  const form = await parseForm(args.request, CohortSchema);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const result = await createCohort(getDb(), { ...form.data, by: admin.id });
  if (!result.ok)
    return data({ errors: { name: "A cohort with that name already exists" } as FieldErrors, values: form.values }, { status: 409 });
  return redirect(`/admin/cohorts/${result.id}`);
}

export default function Cohorts() {
  const { cohorts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = (actionData?.values ?? {}) as Record<string, unknown>;
  return (
    <>
      <h1>Cohorts</h1>
      <div className="table-wrap">
        <table>
          <caption className="muted">Groups of trainees with their supervising trainers</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts</th>
              <th scope="col">Ends</th>
              <th scope="col">Trainees</th>
              <th scope="col">Trainers</th>
            </tr>
          </thead>
          <tbody>
            {cohorts.length === 0 ? (
              <tr>
                <td colSpan={5}>No cohorts yet.</td>
              </tr>
            ) : (
              cohorts.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/admin/cohorts/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{toDateInput(c.startsOn)}</td>
                  <td>{c.endsOn ? toDateInput(c.endsOn) : "—"}</td>
                  <td>{c.trainees}</td>
                  <td>{c.trainers}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <section className="panel narrow" aria-labelledby="new-cohort">
        <h2 id="new-cohort">New cohort</h2>
        <ErrorSummary errors={actionData?.errors} />
        <Form method="post" noValidate>
          <Field name="name" label="Name" required defaultValue={String(values.name ?? "")} error={actionData?.errors?.name} />
          <Field
            name="startsOn"
            label="Starts on"
            type="date"
            required
            defaultValue={String(values.startsOn ?? "")}
            error={actionData?.errors?.startsOn}
          />
          <Field
            name="endsOn"
            label="Ends on (optional)"
            type="date"
            defaultValue={String(values.endsOn ?? "")}
            error={actionData?.errors?.endsOn}
          />
          <button type="submit" className="button">
            Create cohort
          </button>
        </Form>
      </section>
    </>
  );
}
