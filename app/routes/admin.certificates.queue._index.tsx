import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { PUBLIC_STATUS_LABELS } from "#app/domain/certificate-rules";
import { certificationQueue } from "#app/models/certificate.server";

export const meta: MetaFunction = () => [{ title: "Certification queue — Attune" }];

/** Trainees who meet every step of the pathway and hold no certificate in force. */
export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "certificate:issue");
  const queue = await certificationQueue(getDb());
  return {
    queue: queue.map((q) => ({
      userId: q.userId,
      name: q.name,
      pathway: `${q.evaluation.pathwayId}, version ${q.evaluation.pathwayVersion}`,
      hasRegistration: q.hasRegistration,
      previous: q.previous ? `${q.previous.code} (${PUBLIC_STATUS_LABELS[q.previous.status].toLowerCase()})` : null,
    })),
  };
}

export default function CertificationQueue() {
  const { queue } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/admin/certificates">All certificates</Link>
      </p>
      <h1>Certification queue</h1>
      <p>
        Trainees who meet every step of the practitioner pathway and hold no certificate in force. Open one to review the evidence and issue
        the certificate; the pathway is checked again when you do.
      </p>
      {queue.length === 0 ? (
        <p className="muted">Nobody is waiting for a certificate.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="muted">Ready for certification, by name</caption>
            <thead>
              <tr>
                <th scope="col">Trainee</th>
                <th scope="col">Pathway</th>
                <th scope="col">Home registration</th>
                <th scope="col">Earlier certificate</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((q) => (
                <tr key={q.userId}>
                  <td>
                    <Link to={`/admin/certificates/queue/${q.userId}`}>{q.name}</Link>
                  </td>
                  <td>{q.pathway}</td>
                  <td>{q.hasRegistration ? "Recorded" : <span className="badge badge--warn">Missing: record it first</span>}</td>
                  <td>{q.previous ?? "None"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
