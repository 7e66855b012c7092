import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/session.server";
import { ErrorSummary } from "#app/components/field";
import { readScores, ScoreFields, scoreErrorSummary, scoreFieldItems } from "#app/components/score-fields";
import { getFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { applicableItems, ratingSummary } from "#app/domain/rating-rules";
import { formToObject, readForm } from "#app/forms/parse";
import { CALIBRATION_PROBLEM_MESSAGES, getCalibrationRecording, recordReferenceRating } from "#app/models/calibration.server";

export const meta: MetaFunction = () => [{ title: "Reference rating — Attune" }];

async function load(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requirePermission(args, "calibration:manage");
  const db = getDb();
  const c = args.params.calibrationId ? await getCalibrationRecording(db, args.params.calibrationId) : null;
  if (!c) throw notFound();
  const framework = getFramework(c.frameworkId, c.frameworkVersion);
  if (!framework) throw notFound();
  return { user, db, c, framework };
}

/** The reference (gold) rating of a calibration recording: recorded once by a moderator, then shown. */
export async function loader(args: LoaderFunctionArgs) {
  const { c, framework } = await load(args);
  const items = scoreFieldItems(framework, c.phase);
  const summary = c.reference ? ratingSummary(framework, c.phase, c.reference) : null;
  return {
    id: c.id,
    recordingId: c.recordingId,
    label: c.label,
    framework: { title: framework.title, version: framework.version },
    withdrawn: c.withdrawnAt !== null,
    items,
    reference: c.reference
      ? {
          by: c.referenceRating?.rater?.name ?? "—",
          on: c.referenceRating?.submittedAt ? toDateInput(c.referenceRating.submittedAt) : "—",
          scores: items.map((i) => ({ id: i.id, title: i.title, score: c.reference?.[i.id] ?? null })),
          mean: summary ? Math.round(summary.mean * 100) / 100 : null,
          competent: summary?.competent ?? null,
        }
      : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, db, c, framework } = await load(args);
  const values = formToObject(await readForm(args.request));
  const scores = readScores(
    values,
    applicableItems(framework, c.phase).map((i) => i.id),
  );
  const done = await recordReferenceRating(db, { calibrationId: c.id, framework, moderatorId: user.id, scores });
  if (!done.ok) {
    return data(
      { errors: done.errors ?? { form: CALIBRATION_PROBLEM_MESSAGES[done.problem] }, values: scores },
      { status: done.errors ? 400 : 409 },
    );
  }
  return redirect(`/calibration/manage/${encodeURIComponent(c.id)}`);
}

export default function ReferenceRatingPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <p>
        <Link to="/calibration/manage">← Calibration recordings</Link>
      </p>
      <h1>Reference rating: {d.label}</h1>
      <p className="lead">
        {d.framework.title} v{d.framework.version}. <Link to={`/recordings/${d.recordingId}`}>Open the recording</Link>.
        {d.withdrawn ? " This calibration recording is withdrawn." : ""}
      </p>
      {d.reference ? (
        <section aria-labelledby="reference">
          <h2 id="reference">
            Recorded by {d.reference.by} on {d.reference.on}
          </h2>
          <div className="table-wrap">
            <table>
              <caption>The reference scores</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Score</th>
                </tr>
              </thead>
              <tbody>
                {d.reference.scores.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.title}</th>
                    <td>{s.score ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            Mean {d.reference.mean?.toFixed(2) ?? "—"}: {d.reference.competent ? "competent" : "not yet competent"}. A reference rating is
            never changed: raters' results depend on it.
          </p>
        </section>
      ) : (
        <Form method="post" noValidate>
          <p>
            Score every item as the reference raters will be compared with. It cannot be changed once recorded. Base it on a consensus of
            experienced raters where you can.
          </p>
          <ErrorSummary errors={scoreErrorSummary(d.items, errors)} />
          <ScoreFields items={d.items} values={result?.values ?? {}} errors={errors} />
          <button type="submit" className="button">
            Record the reference rating
          </button>
        </Form>
      )}
    </>
  );
}
