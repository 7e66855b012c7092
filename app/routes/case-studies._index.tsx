import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { discardCaseStudyDocument, storeCaseStudyDocument } from "#app/case-studies/documents.server";
import { ErrorSummary, Field, SelectField } from "#app/components/field";
import { getDb } from "#app/db.server";
import {
  ACCEPTED_DOCUMENTS,
  CASE_STUDY_STATUS_LABELS,
  CaseStudyFieldsSchema,
  formatSize,
  SUBMISSION_REFUSALS,
} from "#app/domain/case-study-rules";
import { toDateInput } from "#app/domain/cohort-rules";
import { can } from "#app/domain/permissions";
import { env } from "#app/env.server";
import { isMultipart, parseMultipart } from "#app/forms/multipart.server";
import { type FieldErrors, formToObject, parseWith } from "#app/forms/parse";
import { DocumentRejected } from "#app/media/document.server";
import {
  allCaseStudies,
  caseStudiesOf,
  caseStudyMarkingQueue,
  casesForCaseStudy,
  type StoredDocument,
  submissionFor,
  submitCaseStudy,
} from "#app/models/case-study.server";

export const meta: MetaFunction = () => [{ title: "Case studies — Attune" }];

/**
 * Written case studies (docs/pathways.md). A trainee sees theirs, with marks and feedback, and submits one (or a
 * revised one after a referral); a trainer sees those of their cohorts' trainees awaiting marking; an
 * administrator sees every one. Who sees what comes from app/domain/permissions.ts ("case-study:view").
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "case-study:view");
  const db = getDb();
  const isTrainee = can(user, "case-study:submit");
  const isTrainer = user.roles.includes("TRAINER");
  const isAdmin = can(user, "case-study:view");
  const [own, decision, cases, queue, all] = await Promise.all([
    isTrainee ? caseStudiesOf(db, user.id) : Promise.resolve([]),
    isTrainee ? submissionFor(db, user.id) : Promise.resolve(null),
    isTrainee ? casesForCaseStudy(db, user.id) : Promise.resolve([]),
    isTrainer ? caseStudyMarkingQueue(db, user.id) : Promise.resolve([]),
    isAdmin ? allCaseStudies(db) : Promise.resolve([]),
  ]);
  return {
    isTrainee,
    isTrainer,
    isAdmin,
    maxSize: formatSize(env().CASE_STUDY_MAX_BYTES),
    submission: decision
      ? decision.ok
        ? { ok: true as const, revises: decision.previousId !== null }
        : { ok: false as const, reason: SUBMISSION_REFUSALS[decision.reason] }
      : null,
    cases,
    own: own.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      submittedOn: toDateInput(s.submittedAt),
      outcome: s.mark?.outcome ?? null,
    })),
    queue: queue.map((s) => ({
      id: s.id,
      title: s.title,
      trainee: s.trainee.name,
      submittedOn: toDateInput(s.submittedAt),
      revision: s.previousId !== null,
    })),
    all: all.map((s) => ({ id: s.id, title: s.title, trainee: s.trainee.name, status: s.status, submittedOn: toDateInput(s.submittedAt) })),
  };
}

type Outcome = { errors: FieldErrors; values: Record<string, unknown> };

function failed(status: number, errors: FieldErrors, values: Record<string, unknown> = {}) {
  return data<Outcome>({ errors, values }, { status });
}

/**
 * Submits a case study: the document streams straight into the encrypted store (checked from its content, size
 * limited while it arrives), then the row is written; anything refused afterwards removes the stored document.
 * Works as a plain HTML form (multipart/form-data) without JavaScript.
 */
export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "case-study:submit");
  const db = getDb();
  if (!isMultipart(args.request)) return failed(400, { document: "Choose the document to upload." });
  const decision = await submissionFor(db, user.id);
  if (!decision.ok) return failed(409, { form: SUBMISSION_REFUSALS[decision.reason] });
  const max = env().CASE_STUDY_MAX_BYTES;
  const declared = Number(args.request.headers.get("Content-Length") ?? "0");
  if (Number.isFinite(declared) && declared > max + 64 * 1024) {
    return failed(413, { document: `This file is larger than ${formatSize(max)}, the largest case study accepted.` });
  }

  let stored: StoredDocument | null = null;
  let form: FormData;
  try {
    form = await parseMultipart(args.request, async (part) => {
      if (part.name !== "document" || stored) return undefined;
      stored = await storeCaseStudyDocument(part.data);
      return stored.id;
    });
  } catch (error) {
    const kept = stored as StoredDocument | null;
    if (kept) await discardCaseStudyDocument(kept.id);
    if (error instanceof DocumentRejected) return failed(error.code === "too-large" ? 413 : 400, { document: error.message });
    throw error;
  }
  const document = stored as StoredDocument | null;
  const values = formToObject(form);
  const parsed = parseWith(CaseStudyFieldsSchema, values);
  if (!parsed.ok || !document) {
    if (document) await discardCaseStudyDocument(document.id);
    const errors = parsed.ok ? {} : parsed.errors;
    if (!document) errors.document = "Choose the document to upload.";
    return failed(400, errors, values);
  }
  const result = await submitCaseStudy(db, { traineeId: user.id, title: parsed.data.title, caseId: parsed.data.caseId, document });
  if (!result.ok) {
    await discardCaseStudyDocument(document.id);
    if (result.error === "bad-case") return failed(400, { caseId: "Choose one of your cases, or none" }, values);
    return failed(409, { form: SUBMISSION_REFUSALS[result.error] }, values);
  }
  return redirect(`/case-studies/${result.id}?submitted=1`);
}

export default function CaseStudies() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = (result?.values ?? {}) as Record<string, unknown>;
  return (
    <>
      <h1>Case studies</h1>
      <p className="lead">
        The written case study is the last step of the practitioner pathway: a trainer of the trainee's cohort marks it pass or refer, with
        feedback. Never include anything that identifies a client: use their case code only.
      </p>

      {page.isTrainee ? (
        <section aria-labelledby="own-title">
          <h2 id="own-title">Your case study</h2>
          {page.own.length === 0 ? (
            <p>You have not submitted a case study yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Your case studies, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Submitted</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {page.own.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/case-studies/${s.id}`}>{s.title}</Link>
                      </td>
                      <td>{s.submittedOn}</td>
                      <td>{CASE_STUDY_STATUS_LABELS[s.status]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page.submission?.ok ? (
            <section className="panel narrow" aria-labelledby="submit-title">
              <h3 id="submit-title">{page.submission.revises ? "Submit a revised case study" : "Submit your case study"}</h3>
              <ErrorSummary errors={result?.errors} />
              <Form method="post" encType="multipart/form-data" noValidate>
                <Field
                  name="title"
                  label="Title"
                  required
                  maxLength={200}
                  defaultValue={String(values.title ?? "")}
                  error={result?.errors?.title}
                />
                <SelectField
                  name="caseId"
                  label="The case it is about (optional)"
                  placeholder="None"
                  options={page.cases.map((c) => ({ value: c.id, label: `Case ${c.clientCode}` }))}
                  defaultValue={String(values.caseId ?? "")}
                  error={result?.errors?.caseId}
                />
                <Field
                  name="document"
                  label="Document"
                  type="file"
                  required
                  accept=".pdf,.docx,.odt,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,text/plain"
                  hint={`${ACCEPTED_DOCUMENTS}, up to ${page.maxSize}. The file's name is not kept. Check it names no client.`}
                  error={result?.errors?.document}
                />
                <button type="submit" className="button">
                  Submit the case study
                </button>
              </Form>
            </section>
          ) : page.submission ? (
            <p role="status">{page.submission.reason}</p>
          ) : null}
        </section>
      ) : null}

      {page.isTrainer ? (
        <section aria-labelledby="queue-title">
          <h2 id="queue-title">Awaiting your marking</h2>
          {page.queue.length === 0 ? (
            <p role="status">No case study from your cohorts is waiting to be marked.</p>
          ) : (
            <ul>
              {page.queue.map((s) => (
                <li key={s.id}>
                  <Link to={`/case-studies/${s.id}`}>
                    {s.trainee}: {s.title}
                  </Link>{" "}
                  <span className="muted">
                    submitted {s.submittedOn}
                    {s.revision ? ", a revision after a referral" : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {page.isAdmin ? (
        <section aria-labelledby="all-title">
          <h2 id="all-title">All case studies</h2>
          {page.all.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Every case study, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Trainee</th>
                    <th scope="col">Title</th>
                    <th scope="col">Submitted</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {page.all.map((s) => (
                    <tr key={s.id}>
                      <td>{s.trainee}</td>
                      <td>
                        <Link to={`/case-studies/${s.id}`}>{s.title}</Link>
                      </td>
                      <td>{s.submittedOn}</td>
                      <td>{CASE_STUDY_STATUS_LABELS[s.status]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}
