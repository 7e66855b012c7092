import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { ErrorSummary } from "#app/components/field";
import { getDb } from "#app/db.server";
import {
  CASE_STUDY_OUTCOME_LABELS,
  CASE_STUDY_STATUS_LABELS,
  CaseStudyMarkSchema,
  DOCUMENT_TYPES,
  formatSize,
} from "#app/domain/case-study-rules";
import { toDateInput } from "#app/domain/cohort-rules";
import { type Action, can } from "#app/domain/permissions";
import { type FieldErrors, formToObject, parseWith, readForm } from "#app/forms/parse";

import { getCaseStudy, markCaseStudy, relationsToCaseStudy } from "#app/models/case-study.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Case study"} — Attune` }];

/** The case study if this person may do `action` to it (its trainee, a trainer of their cohort, an admin); else 404. */
async function load(args: LoaderFunctionArgs | ActionFunctionArgs, action: Action) {
  const user = await requirePermission(args, action);
  const db = getDb();
  const study = args.params.caseStudyId ? await getCaseStudy(db, args.params.caseStudyId) : null;
  if (!study) throw notFound();
  const relations = await relationsToCaseStudy(db, user, study);
  requireOn(user, action, relations);
  return { user, study, relations };
}

function typeLabel(mime: string): string {
  return DOCUMENT_TYPES.find((t) => t.mime === mime)?.label ?? mime;
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, study, relations } = await load(args, "case-study:view");
  return {
    id: study.id,
    title: study.title,
    trainee: study.traineeId === user.id ? "You" : study.trainee.name,
    own: study.traineeId === user.id,
    clientCode: study.case?.clientCode ?? null,
    status: study.status,
    submittedOn: toDateInput(study.submittedAt),
    type: typeLabel(study.mimeType),
    size: formatSize(study.sizeBytes),
    sha256: study.sha256,
    previousId: study.previousId,
    mark: study.mark
      ? {
          outcome: study.mark.outcome,
          feedback: study.mark.feedback,
          marker: study.mark.markerId === user.id ? "you" : study.mark.marker.name,
          markedOn: toDateInput(study.mark.markedAt),
        }
      : null,
    canDownload: can(user, "case-study:download", relations),
    canMark: can(user, "case-study:mark", relations) && study.status === "SUBMITTED",
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, study } = await load(args, "case-study:mark");
  const values = formToObject(await readForm(args.request));
  const parsed = parseWith(CaseStudyMarkSchema, values);
  if (!parsed.ok) return data<{ errors: FieldErrors; values: Record<string, unknown> }>({ errors: parsed.errors, values }, { status: 400 });
  const done = await markCaseStudy(getDb(), { caseStudyId: study.id, markerId: user.id, ...parsed.data });
  if (!done) return data({ errors: { form: "This case study has already been marked." } as FieldErrors, values }, { status: 409 });
  return redirect(`/case-studies/${study.id}?marked=1`);
}

export default function CaseStudyPage() {
  const s = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const values = (result?.values ?? {}) as Record<string, unknown>;
  const notice = params.get("submitted")
    ? "Case study submitted. A trainer of your cohort will mark it."
    : params.get("marked")
      ? "Mark saved: the trainee can read it now."
      : null;
  return (
    <>
      <p>
        <Link to="/case-studies">← Case studies</Link>
      </p>
      <h1>{s.title}</h1>
      {notice ? (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      ) : null}
      <dl className="details">
        <dt>Trainee</dt>
        <dd>{s.trainee}</dd>
        {s.clientCode ? (
          <>
            <dt>Case</dt>
            <dd>{s.clientCode}</dd>
          </>
        ) : null}
        <dt>Submitted</dt>
        <dd>{s.submittedOn}</dd>
        <dt>Status</dt>
        <dd data-testid="case-study-status">{CASE_STUDY_STATUS_LABELS[s.status]}</dd>
        <dt>Document</dt>
        <dd>
          {s.type}, {s.size}
          {s.canDownload ? (
            <>
              {" "}
              · <a href={`/case-studies/${s.id}/document`}>Download the document</a>
            </>
          ) : null}
        </dd>
        <dt>SHA-256</dt>
        <dd>
          <code>{s.sha256}</code>
        </dd>
        {s.previousId ? (
          <>
            <dt>Revises</dt>
            <dd>
              <Link to={`/case-studies/${s.previousId}`}>the referred case study</Link>
            </dd>
          </>
        ) : null}
      </dl>

      <section aria-labelledby="mark-title">
        <h2 id="mark-title">Mark and feedback</h2>
        {s.mark ? (
          <div className="panel" data-testid="case-study-mark">
            <p>
              <strong>{CASE_STUDY_OUTCOME_LABELS[s.mark.outcome]}</strong>, marked by {s.mark.marker} on {s.mark.markedOn}.
            </p>
            <p className="journal-entry__text">{s.mark.feedback}</p>
            {s.own && s.mark.outcome === "REFER" ? (
              <p>
                <Link to="/case-studies">Submit a revised case study</Link>
              </p>
            ) : null}
          </div>
        ) : (
          <p>Not marked yet.</p>
        )}
      </section>

      {s.canMark ? (
        <section className="panel narrow" aria-labelledby="marking-title">
          <h2 id="marking-title">Mark this case study</h2>
          <p className="hint">Your mark and feedback reach the trainee when you save. A mark is final.</p>
          <ErrorSummary errors={result?.errors} />
          <Form method="post" noValidate>
            <fieldset className="checks" aria-describedby={result?.errors?.outcome ? "outcome-error" : undefined}>
              <legend>Outcome</legend>
              <label>
                <input type="radio" name="outcome" value="PASS" id="field-outcome" defaultChecked={values.outcome === "PASS"} /> Pass
              </label>
              <label>
                <input type="radio" name="outcome" value="REFER" defaultChecked={values.outcome === "REFER"} /> Refer: the trainee revises
                and resubmits
              </label>
              {result?.errors?.outcome ? (
                <p className="field-error" id="outcome-error">
                  {result.errors.outcome}
                </p>
              ) : null}
            </fieldset>
            <div className="field">
              <label htmlFor="field-feedback">Feedback to the trainee</label>
              <textarea
                id="field-feedback"
                name="feedback"
                rows={6}
                maxLength={10000}
                required
                defaultValue={String(values.feedback ?? "")}
                aria-invalid={result?.errors?.feedback ? true : undefined}
                aria-describedby={result?.errors?.feedback ? "field-feedback-error" : undefined}
              />
              {result?.errors?.feedback ? (
                <p className="field-error" id="field-feedback-error">
                  {result.errors.feedback}
                </p>
              ) : null}
            </div>
            <button type="submit" className="button">
              Save the mark
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
