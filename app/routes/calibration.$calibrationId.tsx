import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { notFound, requirePermission } from "#app/auth/session.server";
import { ErrorSummary } from "#app/components/field";
import { RecordingPlayer } from "#app/components/recording-player";
import { readScores, ScoreFields, scoreErrorSummary, scoreFieldItems } from "#app/components/score-fields";
import { getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { can } from "#app/domain/permissions";
import { applicableItems } from "#app/domain/rating-rules";
import { formToObject, readForm } from "#app/forms/parse";
import {
  CALIBRATION_PROBLEM_MESSAGES,
  calibrationBarrier,
  calibrationFor,
  getCalibrationRecording,
  startCalibrationAttempt,
  submitCalibrationAttempt,
} from "#app/models/calibration.server";
import { playerFor } from "#app/models/playback.server";
import { getRecording, relationsToRecording } from "#app/models/recording.server";

export const meta: MetaFunction = () => [{ title: "Calibration recording — Attune" }];

/** The calibration recording and its framework, if this rater may rate it; anything else is a 404. */
async function load(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "calibration:attempt");
  const db = getDb();
  const c = args.params.calibrationId ? await getCalibrationRecording(db, args.params.calibrationId) : null;
  // Withdrawn material, material this rater may not calibrate on (calibrationBarrier) and an unknown framework
  // version look like no recording.
  if (!c || c.withdrawnAt) throw notFound();
  if (await calibrationBarrier(db, { ...c, referenceRatingId: c.referenceRating?.id ?? null, ownerId: c.recording.ownerId }, user.id)) {
    throw notFound();
  }
  const framework = getFramework(c.frameworkId, c.frameworkVersion);
  if (!framework) throw notFound();
  return { user, db, c, framework };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, db, c, framework } = await load(args);
  const mine = (await calibrationFor(db, user.id, framework)).items.find((i) => i.calibrationId === c.id);
  // The player is on this page (never a link to the recording's own page, which names the trainee and shows its
  // ratings), once the attempt is started and until it is submitted: one playback session per visit.
  const recording = await getRecording(db, c.recordingId);
  const canPlay =
    Boolean(mine?.startedAssignmentId) &&
    recording !== null &&
    recording.status === "READY" &&
    can(user, "recording:play", relationsToRecording(user, recording));
  let comparison: { id: string; title: string; yours: number | null; reference: number | null; within: boolean }[] | null = null;
  if (mine?.attempt && c.reference) {
    const yours = mine.attempt.scores;
    const tolerance = framework.rules.calibration.itemTolerance;
    comparison = applicableItems(framework, c.phase).map((item) => {
      const y = yours[item.id] ?? null;
      const r = c.reference?.[item.id] ?? null;
      return { id: item.id, title: item.title, yours: y, reference: r, within: y !== null && r !== null && Math.abs(y - r) <= tolerance };
    });
  }
  return {
    id: c.id,
    label: c.label,
    framework: { title: framework.title, version: framework.version },
    tolerance: framework.rules.calibration.itemTolerance,
    ready: c.reference !== null,
    started: Boolean(mine?.startedAssignmentId),
    player: canPlay && recording ? await playerFor(db, user.id, recording) : null,
    items: scoreFieldItems(framework, c.phase),
    attempt: mine?.attempt
      ? {
          on: toDateInput(mine.attempt.submittedAt),
          passed: mine.attempt.result.withinTolerance,
          agreement: Math.round(mine.attempt.result.itemAgreement * 100),
          competenceAgrees: mine.attempt.result.competenceAgrees,
        }
      : null,
    comparison,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, db, c, framework } = await load(args);
  const values = formToObject(await readForm(args.request));
  if (values.intent === "start") {
    const started = await startCalibrationAttempt(db, { calibrationId: c.id, framework, raterId: user.id });
    if (!started.ok) return data({ errors: { form: CALIBRATION_PROBLEM_MESSAGES[started.problem] }, values: {} }, { status: 409 });
    return redirect(`/calibration/${encodeURIComponent(c.id)}`);
  }
  if (values.intent !== "submit") return data({ errors: { form: "Unknown action." }, values: {} }, { status: 400 });
  const ids = applicableItems(framework, c.phase).map((i) => i.id);
  const scores = readScores(values, ids);
  const done = await submitCalibrationAttempt(db, { calibrationId: c.id, framework, raterId: user.id, scores });
  if (!done.ok) {
    const errors = done.errors ?? { form: CALIBRATION_PROBLEM_MESSAGES[done.problem] };
    return data({ errors, values: scores }, { status: done.errors ? 400 : 409 });
  }
  return redirect(`/calibration/${encodeURIComponent(c.id)}`);
}

export default function CalibrationAttemptPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const summary = scoreErrorSummary(d.items, errors);
  // Kept across revalidations: a new grant would restart the player.
  const [source] = useState(d.player);

  return (
    <>
      <p>
        <Link to="/calibration">← Calibration</Link>
      </p>
      <h1>Calibration: {d.label}</h1>
      <p className="lead">
        Rated against {d.framework.title} v{d.framework.version}. Rate it as you would a summative recording; your rating is compared with
        the moderators' reference rating once you submit it.
      </p>
      {d.attempt ? (
        <section aria-labelledby="result">
          <h2 id="result">Your result</h2>
          <p className={`alert ${d.attempt.passed ? "alert--success" : "alert--error"}`} role="status" data-testid="calibration-result">
            {d.attempt.passed ? "Passed" : "Not passed"}: {d.attempt.agreement}% of the items were within {d.tolerance} point
            {d.tolerance === 1 ? "" : "s"} of the reference
            {d.attempt.competenceAgrees ? ", with the same competence judgement." : ", and your competence judgement differed."} (Submitted{" "}
            {d.attempt.on}.)
          </p>
          {d.comparison ? (
            <div className="table-wrap">
              <table>
                <caption>Your scores beside the reference rating</caption>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Yours</th>
                    <th scope="col">Reference</th>
                    <th scope="col">Within tolerance</th>
                  </tr>
                </thead>
                <tbody>
                  {d.comparison.map((row) => (
                    <tr key={row.id}>
                      <th scope="row">{row.title}</th>
                      <td>{row.yours ?? "—"}</td>
                      <td>{row.reference ?? "—"}</td>
                      <td>{row.within ? "Yes" : "No"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : !d.ready ? (
        <p className="alert">This recording has no reference rating yet, so it cannot be rated for calibration.</p>
      ) : !d.started ? (
        <Form method="post">
          <ErrorSummary errors={errors} />
          <p>Starting assigns the recording to you for calibration, so that you can play it.</p>
          <button type="submit" name="intent" value="start" className="button">
            Start rating this recording
          </button>
        </Form>
      ) : (
        <>
          {source ? (
            <RecordingPlayer source={source} title={`Calibration: ${d.label}`} />
          ) : (
            <p className="hint">The recording cannot be played here at the moment.</p>
          )}
          <Form method="post" noValidate>
            <ErrorSummary errors={summary} />
            <ScoreFields items={d.items} values={result?.values ?? {}} errors={errors} />
            <button type="submit" name="intent" value="submit" className="button">
              Submit my calibration rating
            </button>
          </Form>
        </>
      )}
    </>
  );
}
