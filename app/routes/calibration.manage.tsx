import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { ErrorSummary } from "#app/components/field";
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { parseForm } from "#app/forms/parse";
import {
  CALIBRATION_PROBLEM_MESSAGES,
  calibrationMaterial,
  markableRecordings,
  markCalibrationRecording,
  ratersAndCalibration,
  withdrawCalibrationRecording,
  withdrawQualification,
} from "#app/models/calibration.server";

export const meta: MetaFunction = () => [{ title: "Calibration recordings — Attune" }];

/**
 * For moderators: the calibration material of the current framework version (with how many raters passed each),
 * recordings that could become calibration material, and every rater's calibration.
 */
export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "calibration:manage");
  const framework = currentFramework();
  const db = getDb();
  const [material, markable, raters] = await Promise.all([
    calibrationMaterial(db, framework),
    markableRecordings(db, framework),
    ratersAndCalibration(db, framework),
  ]);
  return {
    framework: { title: framework.title, version: framework.version },
    required: framework.rules.calibration.recordingsRequired,
    material: material.map((m) => ({ ...m, markedAt: toDateInput(m.markedAt) })),
    markable,
    raters: raters.map((r) => ({ id: r.id, name: r.name, calibratedOn: r.calibratedAt ? toDateInput(r.calibratedAt) : null })),
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("mark"), recordingId: z.string().min(1, "Choose a recording").max(100) }),
  z.object({ intent: z.literal("withdraw"), calibrationId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("withdraw-qualification"), raterId: z.string().min(1).max(100) }),
]);

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "calibration:manage");
  const parsed = await parseForm(args.request, ActionSchema);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const db = getDb();
  const framework = currentFramework();
  if (parsed.data.intent === "mark") {
    const done = await markCalibrationRecording(db, { recordingId: parsed.data.recordingId, framework, markedById: user.id });
    if (!done.ok)
      return data({ errors: { form: CALIBRATION_PROBLEM_MESSAGES[done.problem] } }, { status: done.problem === "not-found" ? 404 : 409 });
    return redirect(`/calibration/manage/${encodeURIComponent(done.calibrationId)}`);
  }
  if (parsed.data.intent === "withdraw-qualification") {
    const ended = await withdrawQualification(db, { raterId: parsed.data.raterId, framework, by: user.id });
    if (!ended) return data({ errors: { form: "That person is not calibrated for this framework version." } }, { status: 409 });
    return redirect("/calibration/manage");
  }
  const withdrawn = await withdrawCalibrationRecording(db, { calibrationId: parsed.data.calibrationId, by: user.id });
  if (!withdrawn) return data({ errors: { form: "That calibration recording is not active." } }, { status: 409 });
  return redirect("/calibration/manage");
}

export default function ManageCalibrationPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/calibration">← Calibration</Link>
      </p>
      <h1>Calibration recordings</h1>
      <p className="lead">
        {d.framework.title} v{d.framework.version}. A rater is calibrated after passing {d.required} of these. Withdrawing a rater's
        calibration stops new summative assignments to them; they calibrate again on recordings they have not attempted.
      </p>
      <ErrorSummary errors={result?.errors} />
      <section aria-labelledby="material">
        <h2 id="material">Calibration material</h2>
        {d.material.length ? (
          <div className="table-wrap">
            <table>
              <caption>Recordings marked as calibration material</caption>
              <thead>
                <tr>
                  <th scope="col">Recording</th>
                  <th scope="col">Marked</th>
                  <th scope="col">Reference rating</th>
                  <th scope="col">Raters passed</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.material.map((m) => (
                  <tr key={m.calibrationId}>
                    <th scope="row">{m.label}</th>
                    <td>
                      {m.markedAt} by {m.markedBy}
                    </td>
                    <td>
                      <Link to={`/calibration/manage/${m.calibrationId}`}>
                        {m.hasReference ? "Recorded" : "Record the reference rating"}
                      </Link>
                    </td>
                    <td>
                      {m.passed} of {m.attempts}
                    </td>
                    <td>
                      {m.withdrawn ? (
                        "Withdrawn"
                      ) : (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="calibrationId" value={m.calibrationId} />
                          <button type="submit" name="intent" value="withdraw" className="button button--secondary">
                            Withdraw<span className="visually-hidden"> {m.label}</span>
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No calibration recordings yet.</p>
        )}
      </section>
      <section aria-labelledby="mark">
        <h2 id="mark">Mark a recording as calibration material</h2>
        {d.markable.length ? (
          <Form method="post">
            <fieldset>
              <legend>Recordings that are ready to play</legend>
              <ul className="checks">
                {d.markable.map((r, i) => (
                  <li key={r.recordingId}>
                    <label>
                      <input type="radio" name="recordingId" value={r.recordingId} defaultChecked={i === 0} /> {r.label}
                      {r.rated ? " (final rating recorded)" : ""}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <button type="submit" name="intent" value="mark" className="button">
              Mark as calibration material
            </button>
          </Form>
        ) : (
          <p>There are no other recordings ready to play.</p>
        )}
      </section>
      <section aria-labelledby="raters">
        <h2 id="raters">Raters</h2>
        <div className="table-wrap">
          <table>
            <caption>Trainers and moderators and their calibration for this framework version</caption>
            <thead>
              <tr>
                <th scope="col">Rater</th>
                <th scope="col">Calibrated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.raters.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td>{r.calibratedOn ? `Since ${r.calibratedOn}` : "Not yet"}</td>
                  <td>
                    {r.calibratedOn ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="raterId" value={r.id} />
                        <button type="submit" name="intent" value="withdraw-qualification" className="button button--secondary">
                          Withdraw calibration<span className="visually-hidden"> of {r.name}</span>
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
