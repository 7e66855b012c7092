import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { RecordingUploader } from "#app/components/recording-uploader";
import { getDb } from "#app/db.server";
import { phaseOf, planById } from "#app/domain/phases";
import { env } from "#app/env.server";
import { sessionForUpload, type TargetProblem, uploadTargetFor } from "#app/models/recording.server";

export const meta: MetaFunction = () => [{ title: "Upload a recording — Attune" }];

const PROBLEMS: Record<TargetProblem, string> = {
  "not-found": "That session is not one of your cases' sessions.",
  "case-closed": "That case is no longer open: recordings can only be added to an open case.",
  "no-consent": "There is no current consent to recording for assessment. Attest the client's written consent on the case page first.",
};

/** The upload page for one session of the trainee's own case (?session=<id>). */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "recording:upload");
  const sessionId = new URL(args.request.url).searchParams.get("session") ?? "";
  const db = getDb();
  const session = sessionId ? await sessionForUpload(db, user.id, sessionId) : null;
  if (!session) throw new Response("Not found", { status: 404 });
  const allowed = await uploadTargetFor(db, user.id, { kind: "CASE_SESSION", caseSessionId: session.id });
  const plan = planById(session.planId);
  return {
    caseId: session.caseId,
    clientCode: session.clientCode,
    number: session.number,
    phase: phaseOf(session.number, plan).label,
    target: `session:${session.id}`,
    problem: allowed.ok ? null : PROBLEMS[allowed.problem],
    maxBytes: env().RECORDING_MAX_BYTES,
  };
}

export default function NewRecording() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>
        Upload a recording of session {d.number}, case {d.clientCode}
      </h1>
      <p className="muted">{d.phase}.</p>
      <p>
        Recordings of therapy are special-category health data. Only you, your supervisor, the raters assigned to it, moderators and
        administrators can play it; it is kept encrypted and destroyed when its retention period ends.
      </p>
      {d.problem ? (
        <div className="alert alert--error" role="alert">
          {d.problem} <Link to={`/cases/${d.caseId}#consent`}>Go to the case</Link>
        </div>
      ) : (
        <RecordingUploader target={d.target} maxBytes={d.maxBytes} doneHref={`/cases/${d.caseId}#sessions`} />
      )}
    </section>
  );
}
