import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { ErrorSummary, SelectField } from "#app/components/field";
import { currentFramework, getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { frameworkLabel } from "#app/domain/framework";
import { ASSIGNMENT_PROBLEM_MESSAGES, RATER_ROLE_LABELS } from "#app/domain/rating-assignment";
import { RECORDING_STATUS_LABELS } from "#app/domain/recording-labels";
import { type FieldErrors, formToObject, parseWith, readForm } from "#app/forms/parse";
import { tellAboutRatings } from "#app/mail/rating-notices.server";
import { assignmentOverview, assignRater, raterCandidates, recordingLabel, withdrawAssignment } from "#app/models/rating.server";
import { getRecording, relationsToRecording } from "#app/models/recording.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Raters of ${data?.label ?? "a recording"} — Attune` }];

/**
 * Who rates a recording: an administrator, or the supervisor of its case,
 * assigns the primary rater and (per the framework's rules.secondRater) a
 * second, blind rater. The rules (never the trainee, never the same person
 * twice, the second never the trainee's supervisor, calibrated raters only)
 * are app/domain/rating-assignment.ts, applied in the model's transaction.
 * This page shows who rates and whether they have submitted, never a score.
 */
async function loadRecording(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "rating:assign");
  const r = args.params.recordingId ? await getRecording(getDb(), args.params.recordingId) : null;
  if (!r) throw notFound();
  requireOn(user, "rating:assign", relationsToRecording(user, r));
  return { user, r };
}

/** The framework the recording is (or will be) rated against: its assessment's, or the current default. */
function frameworkFor(assessment: { frameworkId: string; frameworkVersion: number } | null) {
  const framework = assessment ? getFramework(assessment.frameworkId, assessment.frameworkVersion) : currentFramework();
  if (!framework) throw new Response("The competence framework of this recording is not installed.", { status: 503 });
  return framework;
}

export async function loader(args: LoaderFunctionArgs) {
  const { r } = await loadRecording(args);
  const db = getDb();
  const overview = await assignmentOverview(db, r.id);
  const framework = frameworkFor(overview.assessment);
  const candidates = (await raterCandidates(db, framework)).filter((c) => c.id !== r.ownerId);
  const current = overview.assignments.filter((a) => a.withdrawnAt === null);
  const state = overview.assessment?.state ?? null;
  return {
    recordingId: r.id,
    label: recordingLabel(r),
    trainee: r.owner.name,
    status: RECORDING_STATUS_LABELS[r.status],
    ready: r.status === "READY",
    framework: frameworkLabel(framework),
    state,
    secondRaterRequired: overview.assessment?.secondRaterRequired ?? null,
    secondRule:
      framework.rules.secondRater.summative === "all"
        ? "every summative recording"
        : `${framework.rules.secondRater.percent}% of summative recordings, drawn at random`,
    assignments: overview.assignments.map((a) => ({
      id: a.id,
      role: RATER_ROLE_LABELS[a.role],
      rater: a.rater,
      assignedBy: a.assignedBy,
      assignedOn: toDateInput(a.assignedAt),
      withdrawnOn: a.withdrawnAt ? toDateInput(a.withdrawnAt) : null,
      submitted: a.submitted,
      canWithdraw: a.withdrawnAt === null && !a.submitted && state === "RATING",
    })),
    openRoles: (["PRIMARY", "SECOND"] as const).filter((role) => !current.some((a) => a.role === role)),
    candidates: candidates.map((c) => ({
      value: c.id,
      label: c.calibrated ? c.name : `${c.name} (not calibrated for ${frameworkLabel(framework)})`,
    })),
  };
}

const AssignSchema = z.object({
  role: z.enum(["PRIMARY", "SECOND"], { error: "Choose the rater's role" }),
  raterId: z.string({ error: "Choose a rater" }).min(1, "Choose a rater"),
});

type Outcome = { intent: string; errors: FieldErrors; values: Record<string, unknown> };

export async function action(args: ActionFunctionArgs) {
  const { user, r } = await loadRecording(args);
  const db = getDb();
  const values = formToObject(await readForm(args.request));
  const intent = String(values.intent ?? "");
  const fail = (errors: FieldErrors, status = 400) => data<Outcome>({ intent, errors, values }, { status });
  if (intent === "assign") {
    const parsed = parseWith(AssignSchema, values);
    if (!parsed.ok) return fail(parsed.errors);
    const overview = await assignmentOverview(db, r.id);
    const result = await assignRater(db, { recordingId: r.id, ...parsed.data, by: user.id, framework: frameworkFor(overview.assessment) });
    if (!result.ok) {
      if (result.problem === "not-found") throw notFound();
      return fail({ raterId: ASSIGNMENT_PROBLEM_MESSAGES[result.problem] }, 409);
    }
    tellAboutRatings(db, result.notices, args.context.appUrl);
    return redirect(`/recordings/${r.id}/raters?saved=assigned`);
  }
  if (intent === "withdraw") {
    const assignmentId = typeof values.assignmentId === "string" ? values.assignmentId : "";
    const result = await withdrawAssignment(db, { recordingId: r.id, assignmentId, by: user.id });
    if (!result.ok) {
      const message =
        result.problem === "submitted"
          ? "That rater has submitted: a submitted rating is kept."
          : result.problem === "closed"
            ? "The ratings of this recording are complete."
            : "That assignment no longer exists.";
      return fail({ form: message }, 409);
    }
    return redirect(`/recordings/${r.id}/raters?saved=withdrawn`);
  }
  return fail({ form: "Unknown action: reload the page and try again." });
}

const SAVED: Record<string, string> = { assigned: "Rater assigned.", withdrawn: "Assignment withdrawn." };

const STATE_LABELS: Record<string, string> = {
  RATING: "Collecting ratings",
  MODERATION: "With a moderator (the raters disagree)",
  FINAL: "Final rating released",
};

export default function RatersPage() {
  const p = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = SAVED[params.get("saved") ?? ""];
  const open = p.ready && (p.state === null || p.state === "RATING");
  return (
    <>
      <h1>Raters of {p.label}</h1>
      {saved ? (
        <div className="alert alert--success" role="status">
          {saved}
        </div>
      ) : null}
      <p>
        <Link to={`/recordings/${p.recordingId}`}>Back to the recording</Link>
      </p>
      <dl className="details">
        <dt>Trainee</dt>
        <dd>{p.trainee}</dd>
        <dt>Recording</dt>
        <dd>{p.status}</dd>
        <dt>Framework</dt>
        <dd>{p.framework}</dd>
        <dt>Ratings</dt>
        <dd data-testid="assessment-state">{p.state ? STATE_LABELS[p.state] : "No rater assigned yet"}</dd>
        <dt>Second rater</dt>
        <dd>
          {p.secondRaterRequired === null
            ? `The framework asks for a blind second rater for ${p.secondRule}.`
            : p.secondRaterRequired
              ? "Required for this recording (blind)."
              : "Not drawn for this recording (one may still be assigned)."}
        </dd>
      </dl>
      <section aria-labelledby="assignments">
        <h2 id="assignments">Assignments</h2>
        {actionData?.intent === "withdraw" ? <ErrorSummary errors={actionData.errors} /> : null}
        {p.assignments.length === 0 ? (
          <p className="muted">Nobody is assigned yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Rater</th>
                  <th scope="col">Assigned</th>
                  <th scope="col">Rating</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.assignments.map((a) => (
                  <tr key={a.id}>
                    <td>{a.role}</td>
                    <td>{a.rater}</td>
                    <td>
                      {a.assignedOn} by {a.assignedBy}
                    </td>
                    <td>{a.withdrawnOn ? `Withdrawn ${a.withdrawnOn}` : a.submitted ? "Submitted" : "In progress"}</td>
                    <td>
                      {a.canWithdraw ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="withdraw" />
                          <input type="hidden" name="assignmentId" value={a.id} />
                          <button type="submit" className="button button--secondary">
                            Withdraw<span className="visually-hidden"> {a.rater}</span>
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {open && p.openRoles.length ? (
        <section aria-labelledby="assign">
          <h2 id="assign">Assign a rater</h2>
          {actionData?.intent === "assign" ? <ErrorSummary errors={actionData.errors} /> : null}
          <Form method="post" className="narrow">
            <input type="hidden" name="intent" value="assign" />
            <SelectField
              name="role"
              label="Role"
              placeholder="Choose a role…"
              options={p.openRoles.map((role) => ({ value: role, label: RATER_ROLE_LABELS[role] }))}
              defaultValue={p.openRoles[0]}
              error={actionData?.intent === "assign" ? actionData.errors.role : undefined}
              required
            />
            <SelectField
              name="raterId"
              label="Rater"
              placeholder="Choose a rater…"
              hint="Trainers and moderators. The second rater cannot be the trainee's supervisor, and a rater must be calibrated for this framework version."
              options={p.candidates}
              error={actionData?.intent === "assign" ? actionData.errors.raterId : undefined}
              required
            />
            <button type="submit" className="button">
              Assign
            </button>
          </Form>
        </section>
      ) : null}
      {!p.ready ? <p className="muted">Only a recording that is ready to play can be rated.</p> : null}
    </>
  );
}
