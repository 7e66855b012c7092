import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { EVENT_LABELS, formatHours, PUBLIC_STATUS_LABELS, publicStatus, RegisterChoiceSchema } from "#app/domain/certificate-rules";
import type { Action } from "#app/domain/permissions";
import { parseForm } from "#app/forms/parse";
import { getCertificateDetail, relationsToCertificate, renewalStatus, setOnRegister, verifyUrlFor } from "#app/models/certificate.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Certificate ${data.code}` : "Certificate"} — Attune` }];

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

/** The certificate if the signed-in person holds it; anyone else (admins too: they have the admin page) gets a 404. */
async function loadOwn(args: LoaderFunctionArgs | ActionFunctionArgs, action: Action) {
  const user = await requirePermission(args, action);
  const cert = args.params.code ? await getCertificateDetail(getDb(), args.params.code) : null;
  if (!cert) throw notFound();
  requireOn(user, action, relationsToCertificate(user, cert));
  return { user, cert };
}

export async function loader(args: LoaderFunctionArgs) {
  const { cert } = await loadOwn(args, "certificate:view-own");
  // Old links with a lower-case or undashed code land on the canonical address.
  if (args.params.code !== cert.code) throw redirect(`/certificates/${cert.code}`);
  const now = new Date();
  const status = publicStatus(cert, now);
  const renewal = cert.renewedBy ? null : await renewalStatus(getDb(), cert.code, now);
  return {
    code: cert.code,
    credential: cert.credentialName,
    issuer: cert.issuerName,
    holderName: cert.holderName,
    registration: cert.registrationBody && cert.registrationNumber ? `${cert.registrationBody} ${cert.registrationNumber}` : null,
    status,
    statusLabel: PUBLIC_STATUS_LABELS[status],
    statusReason: cert.status !== "ACTIVE" ? cert.statusReason : null,
    issued: dateFmt.format(cert.issuedAt),
    expires: cert.expiresAt ? dateFmt.format(cert.expiresAt) : null,
    verifyUrl: verifyUrlFor(args.context.appUrl, cert.code),
    onRegister: cert.onRegister,
    mayJoinRegister: status === "valid" || status === "suspended",
    renewedFrom: cert.renewedFrom?.code ?? null,
    renewedBy: cert.renewedBy?.code ?? null,
    renewal:
      renewal && cert.expiresAt
        ? {
            logged: formatHours(renewal.hoursLogged),
            required: formatHours(renewal.hoursRequired),
            met: renewal.hoursLogged >= renewal.hoursRequired,
          }
        : null,
    events: cert.events.map((e) => ({ id: e.id, type: EVENT_LABELS[e.type], on: dateFmt.format(e.at), reason: e.reason })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, cert } = await loadOwn(args, "certificate:register-own");
  const form = await parseForm(args.request, RegisterChoiceSchema);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  const on = form.data.onRegister === "yes";
  const status = publicStatus(cert, new Date());
  if (on && status !== "valid" && status !== "suspended") {
    return data({ errors: { form: "Only a certificate in force can be listed on the public register." } }, { status: 409 });
  }
  await setOnRegister(getDb(), { code: cert.code, holderId: user.id, on });
  return redirect(`/certificates/${cert.code}?register=${on ? "joined" : "left"}`);
}

export default function CertificatePage() {
  const c = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const registerNotice =
    params.get("register") === "joined"
      ? "Your certificate is now listed on the public register."
      : params.get("register") === "left"
        ? "Your certificate is no longer listed on the public register."
        : null;
  return (
    <>
      <h1>Certificate {c.code}</h1>
      {registerNotice ? (
        <p className="alert alert--success" role="status">
          {registerNotice}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="certificate-title">
        <h2 id="certificate-title">{c.credential}</h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="certificate-status">
            {c.statusLabel}
            {c.statusReason ? ` — ${c.statusReason}` : null}
          </dd>
          <dt>Holder</dt>
          <dd>{c.holderName}</dd>
          <dt>Home registration</dt>
          <dd>{c.registration ?? "Not recorded"}</dd>
          <dt>Issued by</dt>
          <dd>{c.issuer}</dd>
          <dt>Issued</dt>
          <dd>{c.issued}</dd>
          <dt>Expires</dt>
          <dd>{c.expires ?? "Does not expire"}</dd>
          <dt>Verification code</dt>
          <dd>
            <code>{c.code}</code>
          </dd>
          <dt>Anyone can check it at</dt>
          <dd>
            <a href={c.verifyUrl}>{c.verifyUrl}</a>
          </dd>
        </dl>
        <p>
          <a className="button" href={`/certificates/${c.code}/pdf`} download>
            Download the certificate (PDF)
          </a>
        </p>
        {c.renewedFrom ? (
          <p>
            This certificate renews <Link to={`/certificates/${c.renewedFrom}`}>{c.renewedFrom}</Link>.
          </p>
        ) : null}
        {c.renewedBy ? (
          <p>
            It has been renewed: see <Link to={`/certificates/${c.renewedBy}`}>{c.renewedBy}</Link>.
          </p>
        ) : null}
      </section>

      {c.renewal ? (
        <section aria-labelledby="renewal-title">
          <h2 id="renewal-title">Renewal</h2>
          <p>
            {c.renewal.logged} of CPD logged since this certificate was issued; renewal needs {c.renewal.required}.{" "}
            {c.renewal.met ? "That is enough: an administrator can renew it." : null} <Link to="/cpd">Your CPD log</Link>
          </p>
        </section>
      ) : null}

      <section aria-labelledby="register-title">
        <h2 id="register-title">Public register</h2>
        <p>
          The public register lists practitioners who choose to be listed, with their name, home registration, credential, status and dates
          — nothing else. {c.onRegister ? "Your certificate is listed." : "Your certificate is not listed."}
        </p>
        {actionData?.errors ? (
          <p className="alert alert--error" role="alert">
            {Object.values(actionData.errors)[0]}
          </p>
        ) : null}
        {c.onRegister ? (
          <Form method="post">
            <input type="hidden" name="onRegister" value="no" />
            <button type="submit" className="button button--secondary">
              Take me off the public register
            </button>
          </Form>
        ) : c.mayJoinRegister ? (
          <Form method="post">
            <input type="hidden" name="onRegister" value="yes" />
            <button type="submit" className="button">
              List me on the public register
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <div className="table-wrap">
          <table>
            <caption className="muted">What happened to this certificate, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Event</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {c.events.map((e) => (
                <tr key={e.id}>
                  <td>{e.on}</td>
                  <td>{e.type}</td>
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
