import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field, SelectField } from "#app/components/field";
import { RecordingUploader } from "#app/components/recording-uploader";
import { getDb } from "#app/db.server";
import { CONSENT_METHOD_LABELS, CONSENT_METHODS, ConsentSchema, consentAllows } from "#app/domain/case-rules";
import { toDateInput } from "#app/domain/cohort-rules";
import { env } from "#app/env.server";
import { formToObject, parseWith, readForm } from "#app/forms/parse";
import { attestConsent, withdrawConsent } from "#app/models/case.server";
import { rolePlayOf } from "#app/models/recording.server";

export const meta: MetaFunction = () => [{ title: "Role-play assessment — Attune" }];

/**
 * The trainee's role-play assessment: a recording with an actor playing a patient, without a case. The actor's
 * consent to recording is attested here first; then the recording is uploaded like a session's.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "recording:upload");
  const { consents, recordings } = await rolePlayOf(getDb(), user.id);
  return {
    consents: consents.map((c) => ({
      id: c.id,
      consentOn: toDateInput(c.consentOn),
      method: CONSENT_METHOD_LABELS[c.method],
      withdrawnAt: c.withdrawnAt ? toDateInput(c.withdrawnAt) : null,
    })),
    canUpload: consentAllows(consents, "assessment"),
    recordings: recordings.map((r) => ({
      id: r.id,
      status: r.status,
      uploaded: toDateInput(r.createdAt),
      minutes: r.durationSeconds ? Math.round(r.durationSeconds / 60) : null,
      rejectReason: r.rejectReason,
    })),
    maxBytes: env().RECORDING_MAX_BYTES,
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "recording:upload");
  const values = formToObject(await readForm(args.request));
  if (values.intent === "withdraw-consent") {
    const consentId = typeof values.consentId === "string" ? values.consentId : "";
    const own = (await rolePlayOf(getDb(), user.id)).consents.some((c) => c.id === consentId);
    // Someone else's consent looks like no consent.
    if (!own) throw notFound();
    const done = await withdrawConsent(getDb(), { caseId: null, consentId, by: user.id });
    if (!done) return data({ errors: { form: "That consent is already withdrawn." }, values }, { status: 409 });
    return redirect("/recordings/role-play?saved=withdrawn");
  }
  const parsed = parseWith(ConsentSchema(new Date()), values);
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 });
  const { confirm: _confirm, ...consent } = parsed.data;
  await attestConsent(getDb(), { caseId: null, attestedById: user.id, ...consent, forSupervision: false, forAssessment: true });
  return redirect("/recordings/role-play?saved=consent");
}

export default function RolePlay() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = actionData?.errors as Record<string, string> | undefined;
  const values = (actionData?.values ?? {}) as Record<string, unknown>;
  return (
    <>
      <h1>Role-play assessment</h1>
      <p className="lead">
        A recorded role-play with an actor playing a mildly to moderately depressed patient, in which you show that you can identify
        relational and affective themes. It is rated like a session recording.
      </p>
      {params.get("saved") === "consent" ? (
        <div className="alert alert--success" role="status">
          The actor's consent is recorded.
        </div>
      ) : null}
      <section aria-labelledby="rp-consent">
        <h2 id="rp-consent">The actor's consent</h2>
        <ErrorSummary errors={errors} />
        {d.consents.length === 0 ? <p>No consent recorded yet.</p> : null}
        <ul>
          {d.consents.map((c) => (
            <li key={c.id}>
              {c.consentOn}: {c.method}.{" "}
              {c.withdrawnAt ? (
                <strong>Withdrawn {c.withdrawnAt}.</strong>
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="withdraw-consent" />
                  <input type="hidden" name="consentId" value={c.id} />
                  <button type="submit" className="button button--secondary">
                    The actor withdrew this consent
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {d.canUpload ? null : (
          <Form method="post" noValidate className="panel narrow">
            <input type="hidden" name="intent" value="consent" />
            <input type="hidden" name="forAssessment" value="on" />
            <Field
              name="consentOn"
              label="Date the actor consented"
              type="date"
              required
              defaultValue={String(values.consentOn ?? "")}
              error={errors?.consentOn}
            />
            <SelectField
              name="method"
              label="How consent was recorded"
              placeholder="Choose"
              required
              options={CONSENT_METHODS.map((m) => ({ value: m, label: CONSENT_METHOD_LABELS[m] }))}
              defaultValue={String(values.method ?? "")}
              error={errors?.method}
            />
            <div className="checks">
              <label>
                <input type="checkbox" name="confirm" id="field-confirm" /> I confirm the actor consented in writing to this recording being
                used for assessment.
              </label>
              {errors?.confirm ? <p className="field-error">{errors.confirm}</p> : null}
            </div>
            <button type="submit" className="button">
              Record the actor's consent
            </button>
          </Form>
        )}
      </section>
      {d.canUpload ? (
        <section aria-labelledby="rp-upload" className="narrow">
          <h2 id="rp-upload">Upload the role-play recording</h2>
          <RecordingUploader target="role-play" maxBytes={d.maxBytes} doneHref="/recordings/role-play" />
        </section>
      ) : null}
      <section aria-labelledby="rp-recordings">
        <h2 id="rp-recordings">Your role-play recordings</h2>
        {d.recordings.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul>
            {d.recordings.map((r) => (
              <li key={r.id}>
                <Link to={`/recordings/${r.id}`}>Uploaded {r.uploaded}</Link> — {r.status.toLowerCase()}
                {r.minutes !== null ? `, ${r.minutes} min` : ""}
                {r.rejectReason ? ` (${r.rejectReason})` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
