import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field, SelectField } from "#app/components/field";
import { getDb } from "#app/db.server";
import { CPD_KIND_LABELS, CPD_KINDS, CpdEntrySchema, formatHours, publicStatus } from "#app/domain/certificate-rules";
import { toDateInput } from "#app/domain/cohort-rules";
import { parseForm } from "#app/forms/parse";
import { certificatesOfHolder, renewalStatus } from "#app/models/certificate.server";
import { cpdEntriesOf, logCpd } from "#app/models/cpd.server";

export const meta: MetaFunction = () => [{ title: "CPD log — Attune" }];

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** The signed-in person's own CPD log: every query is theirs alone. */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "cpd:log-own");
  const db = getDb();
  const now = new Date();
  const [entries, certificates] = await Promise.all([cpdEntriesOf(db, user.id), certificatesOfHolder(db, user.id)]);
  // Renewal progress of the newest certificate that is still in force.
  const current = certificates.find((c) => publicStatus(c, now) === "valid" && c.expiresAt !== null) ?? null;
  const renewal = current ? await renewalStatus(db, current.code, now) : null;
  return {
    today: toDateInput(now),
    entries: entries.map((e) => ({
      id: e.id,
      date: toDateInput(e.date),
      hours: formatHours(e.hours),
      kind: CPD_KIND_LABELS[e.kind],
      description: e.description,
    })),
    renewal:
      current && renewal
        ? {
            code: current.code,
            credential: current.credentialName,
            since: dateFmt.format(current.issuedAt),
            expires: current.expiresAt ? dateFmt.format(current.expiresAt) : null,
            logged: formatHours(renewal.hoursLogged),
            clinical: formatHours(renewal.hoursClinical),
            required: formatHours(renewal.hoursRequired),
            met: renewal.hoursLogged >= renewal.hoursRequired,
          }
        : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "cpd:log-own");
  const form = await parseForm(args.request, CpdEntrySchema(new Date()));
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  await logCpd(getDb(), { userId: user.id, ...form.data });
  return redirect("/cpd?saved=1");
}

export default function CpdLog() {
  const { entries, renewal, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const values = (actionData?.values ?? {}) as Record<string, unknown>;
  const errors = actionData?.errors;
  return (
    <>
      <h1>Your CPD log</h1>
      <p>
        Continuing professional development you log here counts towards renewing your certificate. Describe the activity, not the people in
        it: no client names or details.
      </p>
      {params.get("saved") ? (
        <p className="alert alert--success" role="status">
          CPD entry saved.
        </p>
      ) : null}
      {renewal ? (
        <section className="panel" aria-labelledby="renewal-title">
          <h2 id="renewal-title">Towards renewal</h2>
          <p data-testid="cpd-progress">
            {renewal.logged} logged since your certificate <Link to={`/certificates/${renewal.code}`}>{renewal.code}</Link> was issued on{" "}
            {renewal.since} ({renewal.clinical} clinical); renewal needs {renewal.required}.
            {renewal.expires ? ` It expires on ${renewal.expires}.` : null}
          </p>
          {renewal.met ? <p>You have logged enough CPD: an administrator can renew your certificate.</p> : null}
        </section>
      ) : null}
      <section aria-labelledby="add-title" className="narrow">
        <h2 id="add-title">Log CPD</h2>
        <ErrorSummary errors={errors} />
        <Form method="post" noValidate>
          <Field name="date" label="Date" type="date" required max={today} defaultValue={String(values.date ?? "")} error={errors?.date} />
          <Field
            name="hours"
            label="Hours"
            inputMode="decimal"
            required
            hint="In quarter hours, e.g. 1.5"
            defaultValue={String(values.hours ?? "")}
            error={errors?.hours}
          />
          <SelectField
            name="kind"
            label="Kind"
            placeholder="Choose clinical or general"
            required
            options={CPD_KINDS.map((k) => ({ value: k, label: CPD_KIND_LABELS[k] }))}
            defaultValue={String(values.kind ?? "")}
            error={errors?.kind}
          />
          <Field
            name="description"
            label="What you did"
            required
            maxLength={500}
            hint="For example: DIT supervision group, a workshop on mentalization, reading."
            defaultValue={String(values.description ?? "")}
            error={errors?.description}
          />
          <button type="submit" className="button">
            Save CPD entry
          </button>
        </Form>
      </section>
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">Logged</h2>
        {entries.length === 0 ? (
          <p className="muted">Nothing logged yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="muted">Your CPD, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Hours</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Activity</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td>{e.date}</td>
                    <td>{e.hours}</td>
                    <td>{e.kind}</td>
                    <td>{e.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
