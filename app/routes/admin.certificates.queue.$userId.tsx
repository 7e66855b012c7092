import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/session.server";
import { mailNotices } from "#app/certificates/notices.server";
import { PathwayChecklist } from "#app/components/pathway-checklist";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { PUBLIC_STATUS_LABELS, publicStatus } from "#app/domain/certificate-rules";
import { checklistView } from "#app/domain/pathway-view";
import { readForm } from "#app/forms/parse";
import { certificatesOfHolder, type IssueError, issueCertificate } from "#app/models/certificate.server";
import { evaluateTrainee } from "#app/models/pathway-evidence.server";
import { getUserDetail } from "#app/models/user.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Certify ${data.name}` : "Certify"} — Attune` }];

async function person(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const admin = await requirePermission(args, "certificate:issue");
  const user = args.params.userId ? await getUserDetail(getDb(), args.params.userId) : null;
  if (!user) throw notFound();
  return { admin, user };
}

/** One trainee's pathway evaluation with the evidence behind each step, and the issue form when it is complete. */
export async function loader(args: LoaderFunctionArgs) {
  const { user } = await person(args);
  const db = getDb();
  const now = new Date();
  const [{ pathway, evaluation, evidence }, certificates, curriculum] = await Promise.all([
    evaluateTrainee(user.id, now, { db }),
    certificatesOfHolder(db, user.id),
    getCurriculum(),
  ]);
  // The pathway's own checklist, as an administrator sees it (evidence linked to the pages admins may open).
  const checklist = checklistView(
    pathway,
    evaluation,
    evidence,
    { owner: false, admin: true, cohortTrainer: false, supervisedCaseIds: new Set() },
    Object.fromEntries(curriculum.modules.map((m) => [m.frontmatter.id, m.frontmatter.slug])),
  );
  const inForce = certificates.find((c) => {
    const s = publicStatus(c, now);
    return s === "valid" || s === "suspended";
  });
  return {
    userId: user.id,
    name: user.name,
    registration: user.registrationBody && user.registrationNumber ? `${user.registrationBody} ${user.registrationNumber}` : null,
    pathway: { title: pathway.title, id: pathway.id, version: pathway.version },
    credential: pathway.certificate.credentialName,
    validity: pathway.certificate.validityMonths === null ? "does not expire" : `valid for ${pathway.certificate.validityMonths} months`,
    complete: evaluation.complete,
    steps: checklist.steps,
    met: checklist.met,
    total: checklist.total,
    inForce: inForce ? { code: inForce.code, status: PUBLIC_STATUS_LABELS[publicStatus(inForce, now)] } : null,
  };
}

const ISSUE_ERRORS: Record<IssueError, string> = {
  "no-such-person": "This person's account is not active, so no certificate can be issued.",
  incomplete: "The pathway is not complete now: the certificate was not issued. Review the steps below.",
  "no-registration": "Record the person's home registration body and number first (on their page under People).",
  "already-certified": "This person already holds a certificate in force.",
};

export async function action(args: ActionFunctionArgs) {
  const { admin, user } = await person(args);
  const form = await readForm(args.request);
  if (form.get("intent") !== "issue") return data({ error: "Unknown action: reload the page and try again" }, { status: 400 });
  const issued = await issueCertificate(getDb(), { traineeId: user.id, by: admin.id });
  if (!issued.ok) return data({ error: ISSUE_ERRORS[issued.error] }, { status: 409 });
  mailNotices([issued.notice], args.context.appUrl);
  return redirect(`/admin/certificates/${issued.code}?done=issued`);
}

export default function CertifyTrainee() {
  const t = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/certificates/queue">Certification queue</Link>
      </p>
      <h1>Certify {t.name}</h1>
      <dl className="facts panel">
        <dt>Pathway</dt>
        <dd>
          {t.pathway.title} ({t.pathway.id}, version {t.pathway.version})
        </dd>
        <dt>Credential</dt>
        <dd>
          {t.credential}, {t.validity}
        </dd>
        <dt>Home registration</dt>
        <dd>{t.registration ?? <Link to={`/admin/users/${t.userId}`}>Not recorded: add it on their page</Link>}</dd>
        <dt>Evaluation now</dt>
        <dd data-testid="evaluation">{t.complete ? "Every step is met" : "Not complete"}</dd>
      </dl>
      {actionData?.error ? (
        <p className="alert alert--error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      {t.inForce ? (
        <p className="alert" role="status">
          {t.name} holds <Link to={`/admin/certificates/${t.inForce.code}`}>{t.inForce.code}</Link> ({t.inForce.status.toLowerCase()}).
        </p>
      ) : t.complete && t.registration ? (
        <Form method="post" className="panel">
          <input type="hidden" name="intent" value="issue" />
          <p>
            Issuing records the evidence below (its ids and hashes) with the certificate, and tells {t.name}. The pathway is checked again
            as you issue.
          </p>
          <button type="submit" className="button">
            Issue certificate
          </button>
        </Form>
      ) : null}
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">
          Steps and their evidence ({t.met} of {t.total} met)
        </h2>
        <PathwayChecklist steps={t.steps} who="they" />
      </section>
    </>
  );
}
