import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/session.server";
import { mailNotices } from "#app/certificates/notices.server";
import { getDb } from "#app/db.server";
import {
  EVENT_LABELS,
  formatHours,
  PUBLIC_STATUS_LABELS,
  publicStatus,
  StatusChangeSchema,
  statusChangeProblem,
} from "#app/domain/certificate-rules";
import type { EvidenceSnapshot } from "#app/domain/certificate-snapshot";
import { type FieldErrors, formToObject, parseWith, readForm } from "#app/forms/parse";
import { changeCertificateStatus, getCertificateDetail, renewalStatus, renewCertificate } from "#app/models/certificate.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Certificate ${data.code}` : "Certificate"} — Attune` }];

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

async function load(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "certificate:manage");
  const cert = args.params.code ? await getCertificateDetail(getDb(), args.params.code) : null;
  if (!cert) throw notFound();
  return { user, cert };
}

export async function loader(args: LoaderFunctionArgs) {
  const { cert } = await load(args);
  if (args.params.code !== cert.code) throw redirect(`/admin/certificates/${cert.code}`);
  const now = new Date();
  const status = publicStatus(cert, now);
  const renewal = await renewalStatus(getDb(), cert.code, now);
  const snapshot = JSON.parse(cert.evidence) as EvidenceSnapshot;
  return {
    code: cert.code,
    holderId: cert.holderId,
    holderName: cert.holderName,
    registration: cert.registrationBody && cert.registrationNumber ? `${cert.registrationBody} ${cert.registrationNumber}` : "Not recorded",
    credential: cert.credentialName,
    issuer: cert.issuerName,
    pathway: `${cert.pathwayId}, version ${cert.pathwayVersion}`,
    status,
    statusLabel: PUBLIC_STATUS_LABELS[status],
    statusReason: cert.statusReason,
    issued: dateFmt.format(cert.issuedAt),
    issuedBy: cert.issuedBy.name,
    expires: cert.expiresAt ? dateFmt.format(cert.expiresAt) : "Does not expire",
    onRegister: cert.onRegister,
    revocationIndex: cert.revocationIndex,
    suspensionIndex: cert.suspensionIndex,
    evidenceHash: cert.evidenceHash,
    snapshot:
      snapshot.kind === "pathway"
        ? { kind: "pathway" as const, steps: snapshot.steps }
        : {
            kind: "renewal" as const,
            renewalOf: snapshot.renewalOf,
            cpd: snapshot.cpd.map((e) => ({ ...e, hours: formatHours(e.hours) })),
          },
    renewedFrom: cert.renewedFrom?.code ?? null,
    renewedBy: cert.renewedBy?.code ?? null,
    can: {
      suspend: statusChangeProblem("suspend", cert, now) === null,
      reinstate: statusChangeProblem("reinstate", cert, now) === null,
      revoke: statusChangeProblem("revoke", cert, now) === null,
    },
    renewal: renewal
      ? {
          logged: formatHours(renewal.hoursLogged),
          required: formatHours(renewal.hoursRequired),
          problem: renewal.problem,
          newExpiry: renewal.newExpiry ? dateFmt.format(renewal.newExpiry) : null,
        }
      : null,
    events: cert.events.map((e) => ({
      id: e.id,
      type: EVENT_LABELS[e.type],
      on: dateFmt.format(e.at),
      reason: e.reason,
      by: e.actor?.name ?? "The daily job",
    })),
  };
}

type Outcome = { intent: string; errors: FieldErrors };

export async function action(args: ActionFunctionArgs) {
  const { user, cert } = await load(args);
  const values = formToObject(await readForm(args.request));
  const intent = String(values.intent ?? "");
  const db = getDb();
  if (intent === "renew") {
    const renewed = await renewCertificate(db, { code: cert.code, by: user.id });
    if (!renewed.ok) return data<Outcome>({ intent, errors: { form: renewed.error } }, { status: 409 });
    mailNotices([renewed.notice], args.context.appUrl);
    return redirect(`/admin/certificates/${renewed.code}?done=renewed`);
  }
  const parsed = parseWith(StatusChangeSchema, values);
  if (!parsed.ok) return data<Outcome>({ intent, errors: parsed.errors }, { status: 400 });
  const changed = await changeCertificateStatus(db, {
    code: cert.code,
    change: parsed.data.intent,
    reason: parsed.data.reason,
    by: user.id,
  });
  if (!changed.ok) {
    const message = changed.error === "changed" ? "The certificate changed meanwhile: reload the page and try again." : changed.error;
    return data<Outcome>({ intent, errors: { form: message } }, { status: 409 });
  }
  mailNotices([changed.notice], args.context.appUrl);
  return redirect(`/admin/certificates/${cert.code}?done=${parsed.data.intent}`);
}

const DONE: Record<string, string> = {
  issued: "Certificate issued. The holder has been told.",
  suspend: "Certificate suspended. The suspension list says so now; the holder has been told.",
  reinstate: "Certificate reinstated. The holder has been told.",
  revoke: "Certificate revoked. The revocation list says so now; the holder has been told.",
  renewed: "Certificate renewed: this is the new certificate. The holder has been told.",
};

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p className="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

/** A reason box for one of the status forms, with its error wired up. */
function Reason({ form, label, required, error }: { form: string; label: string; required: boolean; error?: string }) {
  const id = `${form}-reason`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name="reason"
        rows={2}
        maxLength={1000}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export default function AdminCertificate() {
  const c = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = DONE[params.get("done") ?? ""];
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
  return (
    <>
      <p>
        <Link to="/admin/certificates">All certificates</Link>
      </p>
      <h1>Certificate {c.code}</h1>
      {done ? (
        <p className="alert alert--success" role="status">
          {done}
        </p>
      ) : null}
      <dl className="facts panel">
        <dt>Status</dt>
        <dd data-testid="certificate-status">
          {c.statusLabel}
          {c.statusReason && c.status !== "valid" ? ` — ${c.statusReason}` : null}
        </dd>
        <dt>Holder</dt>
        <dd>
          <Link to={`/admin/users/${c.holderId}`}>{c.holderName}</Link>
        </dd>
        <dt>Home registration</dt>
        <dd>{c.registration}</dd>
        <dt>Credential</dt>
        <dd>{c.credential}</dd>
        <dt>Issuer</dt>
        <dd>{c.issuer}</dd>
        <dt>Pathway</dt>
        <dd>{c.pathway}</dd>
        <dt>Issued</dt>
        <dd>
          {c.issued} by {c.issuedBy}
        </dd>
        <dt>Expires</dt>
        <dd>{c.expires}</dd>
        <dt>Public register</dt>
        <dd>{c.onRegister ? "Listed (the holder's choice)" : "Not listed"}</dd>
        <dt>Status list entries</dt>
        <dd>
          revocation {c.revocationIndex}, suspension {c.suspensionIndex}
        </dd>
      </dl>
      <p>
        <a href={`/certificates/${c.code}/pdf`} download>
          Download the PDF
        </a>
        {c.renewedFrom ? (
          <>
            {" "}
            · Renews <Link to={`/admin/certificates/${c.renewedFrom}`}>{c.renewedFrom}</Link>
          </>
        ) : null}
        {c.renewedBy ? (
          <>
            {" "}
            · Renewed as <Link to={`/admin/certificates/${c.renewedBy}`}>{c.renewedBy}</Link>
          </>
        ) : null}
      </p>

      <section aria-labelledby="status-title">
        <h2 id="status-title">Change its status</h2>
        {!c.can.suspend && !c.can.reinstate && !c.can.revoke ? (
          <p className="muted">This certificate is revoked; revocation is final.</p>
        ) : null}
        {c.can.suspend ? (
          <Form method="post" className="panel" aria-labelledby="suspend-title" noValidate>
            <h3 id="suspend-title">Suspend</h3>
            <p>Reversible: verifiers see it as suspended until it is reinstated.</p>
            {errorsFor("suspend")?.form ? (
              <p className="alert alert--error" role="alert">
                {errorsFor("suspend")?.form}
              </p>
            ) : null}
            <input type="hidden" name="intent" value="suspend" />
            <Reason form="suspend" label="Reason for the suspension" required error={errorsFor("suspend")?.reason} />
            <button type="submit" className="button">
              Suspend certificate
            </button>
          </Form>
        ) : null}
        {c.can.reinstate ? (
          <Form method="post" className="panel" aria-labelledby="reinstate-title" noValidate>
            <h3 id="reinstate-title">Reinstate</h3>
            {errorsFor("reinstate")?.form ? (
              <p className="alert alert--error" role="alert">
                {errorsFor("reinstate")?.form}
              </p>
            ) : null}
            <input type="hidden" name="intent" value="reinstate" />
            <Reason form="reinstate" label="Note (optional)" required={false} error={errorsFor("reinstate")?.reason} />
            <button type="submit" className="button">
              Reinstate certificate
            </button>
          </Form>
        ) : null}
        {c.can.revoke ? (
          <Form method="post" className="panel" aria-labelledby="revoke-title" noValidate>
            <h3 id="revoke-title">Revoke</h3>
            <p>Final: a revoked certificate cannot be reinstated or renewed.</p>
            {errorsFor("revoke")?.form ? (
              <p className="alert alert--error" role="alert">
                {errorsFor("revoke")?.form}
              </p>
            ) : null}
            <input type="hidden" name="intent" value="revoke" />
            <Reason form="revoke" label="Reason for the revocation" required error={errorsFor("revoke")?.reason} />
            <div className="field">
              <input
                type="checkbox"
                id="revoke-confirm"
                name="confirm"
                value="yes"
                required
                aria-invalid={errorsFor("revoke")?.confirm ? true : undefined}
                aria-describedby={errorsFor("revoke")?.confirm ? "revoke-confirm-error" : undefined}
              />{" "}
              <label htmlFor="revoke-confirm">I understand that revocation is final</label>
              <FieldError id="revoke-confirm-error" message={errorsFor("revoke")?.confirm} />
            </div>
            <button type="submit" className="button button--danger">
              Revoke certificate
            </button>
          </Form>
        ) : null}
      </section>

      {c.renewal ? (
        <section aria-labelledby="renew-title">
          <h2 id="renew-title">Renewal</h2>
          <p>
            CPD logged since issue: {c.renewal.logged}; the pathway asks for {c.renewal.required}.
          </p>
          {errorsFor("renew")?.form ? (
            <p className="alert alert--error" role="alert">
              {errorsFor("renew")?.form}
            </p>
          ) : null}
          {c.renewal.problem ? (
            <p className="muted">{c.renewal.problem}</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="renew" />
              <p>Renewing issues a new certificate, valid until {c.renewal.newExpiry}.</p>
              <button type="submit" className="button">
                Renew certificate
              </button>
            </Form>
          )}
        </section>
      ) : null}

      <section aria-labelledby="evidence-title">
        <h2 id="evidence-title">Evidence it rests on</h2>
        <p>
          SHA-256 of the snapshot: <code className="hash">{c.evidenceHash}</code>
        </p>
        {c.snapshot.kind === "pathway" ? (
          <ul>
            {c.snapshot.steps.map((s) => (
              <li key={s.id}>
                <strong>{s.id}</strong>:{" "}
                {s.evidence.length === 0
                  ? "no evidence item"
                  : s.evidence.map((e) => `${e.kind} ${e.id}${e.hash ? ` (${e.hash.slice(0, 12)}…)` : ""}`).join(", ")}
              </li>
            ))}
          </ul>
        ) : (
          <>
            <p>
              Renewal of <Link to={`/admin/certificates/${c.snapshot.renewalOf.code}`}>{c.snapshot.renewalOf.code}</Link>, with these CPD
              entries:
            </p>
            <ul>
              {c.snapshot.cpd.map((e) => (
                <li key={e.id}>
                  {String(e.date).slice(0, 10)}: {e.hours} ({e.kind.toLowerCase()})
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <div className="table-wrap">
          <table>
            <caption className="muted">Every event, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Event</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {c.events.map((e) => (
                <tr key={e.id}>
                  <td>{e.on}</td>
                  <td>{e.type}</td>
                  <td>{e.by}</td>
                  <td>{e.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
