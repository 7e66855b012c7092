import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission, safeRedirect } from "#app/auth/session.server";
import { CertificateNotices } from "#app/components/certificate-notices";
import { getDb } from "#app/db.server";
import { PUBLIC_STATUS_LABELS, publicStatus } from "#app/domain/certificate-rules";
import { formToObject, readForm } from "#app/forms/parse";
import { certificatesOfHolder, dismissNotice, unseenNotices } from "#app/models/certificate.server";

export const meta: MetaFunction = () => [{ title: "Your certificates — Attune" }];

const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** The signed-in person's own certificates and notices (the queries filter by them). */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "certificate:view-own");
  const db = getDb();
  const now = new Date();
  const [certificates, notices] = await Promise.all([certificatesOfHolder(db, user.id), unseenNotices(db, user.id)]);
  return {
    notices,
    certificates: certificates.map((c) => ({
      code: c.code,
      credential: c.credentialName,
      status: PUBLIC_STATUS_LABELS[publicStatus(c, now)],
      issued: dateFmt.format(c.issuedAt),
      expires: c.expiresAt ? dateFmt.format(c.expiresAt) : "Does not expire",
      onRegister: c.onRegister,
    })),
  };
}

/** Dismisses one of the person's own notices (someone else's is not found), then goes back where the form was. */
export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "certificate:view-own");
  const values = formToObject(await readForm(args.request));
  const eventId = typeof values.eventId === "string" ? values.eventId : "";
  if (values.intent !== "dismiss" || !eventId) throw new Response("Unknown action: reload the page and try again", { status: 400 });
  if (!(await dismissNotice(getDb(), { eventId, holderId: user.id }))) throw notFound();
  return redirect(safeRedirect(values.back, "/certificates"));
}

export default function Certificates() {
  const { certificates, notices } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your certificates</h1>
      <CertificateNotices notices={notices} back="/certificates" />
      {certificates.length === 0 ? (
        <p>You have no certificate yet. Once every step of your pathway is met, an administrator can issue one.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="muted">Every certificate issued to you, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Credential</th>
                <th scope="col">Status</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                <th scope="col">Public register</th>
              </tr>
            </thead>
            <tbody>
              {certificates.map((c) => (
                <tr key={c.code}>
                  <td>
                    <Link to={`/certificates/${c.code}`}>{c.code}</Link>
                  </td>
                  <td>{c.credential}</td>
                  <td>{c.status}</td>
                  <td>{c.issued}</td>
                  <td>{c.expires}</td>
                  <td>{c.onRegister ? "Listed" : "Not listed"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <Link to="/cpd">Your CPD log</Link>: continuing professional development counts towards renewal.
      </p>
    </>
  );
}
