import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { currentFramework } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { toDateInput } from "#app/domain/cohort-rules";
import { can } from "#app/domain/permissions";
import { calibrationFor, qualificationsOf } from "#app/models/calibration.server";

export const meta: MetaFunction = () => [{ title: "Calibration — Attune" }];

/**
 * A rater's calibration dashboard: their status for the current framework version, the rule, and the calibration
 * recordings with their own attempts (docs/reliability.md, "Calibration").
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "calibration:attempt");
  const framework = currentFramework();
  const db = getDb();
  const [mine, qualifications] = await Promise.all([calibrationFor(db, user.id, framework), qualificationsOf(db, user.id)]);
  const rule = framework.rules.calibration;
  return {
    framework: { id: framework.id, version: framework.version, title: framework.title },
    rule: {
      itemTolerance: rule.itemTolerance,
      minItemAgreement: Math.round(rule.minItemAgreement * 100),
      mustAgreeOnCompetence: rule.mustAgreeOnCompetence,
      recordingsRequired: rule.recordingsRequired,
    },
    status: mine.status,
    qualifiedOn: mine.qualifiedAt ? toDateInput(mine.qualifiedAt) : null,
    items: mine.items.map((i) => ({
      id: i.calibrationId,
      label: i.label,
      ready: i.ready,
      started: i.startedAssignmentId !== null,
      attempt: i.attempt
        ? {
            on: toDateInput(i.attempt.submittedAt),
            passed: i.attempt.result.withinTolerance,
            agreement: Math.round(i.attempt.result.itemAgreement * 100),
            competenceAgrees: i.attempt.result.competenceAgrees,
          }
        : null,
    })),
    others: qualifications
      .filter((q) => q.frameworkId !== framework.id || q.frameworkVersion !== framework.version)
      .map((q) => ({
        key: `${q.frameworkId}@${q.frameworkVersion}`,
        label: `${q.frameworkId} v${q.frameworkVersion}`,
        on: toDateInput(q.calibratedAt),
      })),
    canManage: can(user, "calibration:manage"),
  };
}

export default function CalibrationPage() {
  const d = useLoaderData<typeof loader>();
  const remaining = Math.max(0, d.status.required - d.status.passed);
  return (
    <>
      <h1>Calibration</h1>
      <section aria-labelledby="status" className="panel">
        <h2 id="status">
          {d.framework.title} v{d.framework.version}
        </h2>
        {d.status.calibrated ? (
          <p className="alert alert--success" role="status" data-testid="calibration-status">
            Calibrated{d.qualifiedOn ? ` since ${d.qualifiedOn}` : ""}: you can be assigned summative recordings rated against this
            framework version.
          </p>
        ) : (
          <p className="alert" role="status" data-testid="calibration-status">
            Not calibrated yet: {d.status.passed} of {d.status.required} calibration recordings passed. Until you pass {remaining} more, you
            cannot be assigned summative recordings rated against this framework version.
          </p>
        )}
        <progress max={d.status.required} value={Math.min(d.status.passed, d.status.required)} aria-label="Calibration recordings passed">
          {d.status.passed} of {d.status.required}
        </progress>
        <p className="hint">
          How it works: you rate each calibration recording once, like a summative recording. Your rating passes when at least{" "}
          {d.rule.minItemAgreement}% of the items that apply are within {d.rule.itemTolerance} point{d.rule.itemTolerance === 1 ? "" : "s"}{" "}
          of the reference rating
          {d.rule.mustAgreeOnCompetence ? " and you reach the same competence judgement" : ""}. Passing {d.rule.recordingsRequired}{" "}
          recording
          {d.rule.recordingsRequired === 1 ? "" : "s"} makes you calibrated for this framework version; a new version needs its own
          calibration.
        </p>
      </section>

      <section aria-labelledby="recordings">
        <h2 id="recordings">Calibration recordings</h2>
        {d.items.length ? (
          <div className="table-wrap">
            <table>
              <caption>Calibration recordings and your ratings of them</caption>
              <thead>
                <tr>
                  <th scope="col">Recording</th>
                  <th scope="col">Your rating</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">{i.label}</th>
                    <td>
                      {i.attempt ? (
                        <Link to={`/calibration/${i.id}`}>Submitted {i.attempt.on}</Link>
                      ) : i.ready ? (
                        <Link to={`/calibration/${i.id}`}>{i.started ? "Continue rating" : "Rate this recording"}</Link>
                      ) : (
                        "Not open yet (no reference rating)"
                      )}
                    </td>
                    <td>
                      {i.attempt ? (
                        <>
                          <span className={`badge ${i.attempt.passed ? "" : "badge--warn"}`}>
                            {i.attempt.passed ? "Passed" : "Not passed"}
                          </span>{" "}
                          {i.attempt.agreement}% of items within tolerance
                          {i.attempt.competenceAgrees ? "" : "; a different competence judgement"}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>There are no calibration recordings for this framework version yet. A moderator marks them.</p>
        )}
      </section>
      {d.others.length ? (
        <section aria-labelledby="other">
          <h2 id="other">Other framework versions</h2>
          <ul>
            {d.others.map((o) => (
              <li key={o.key}>
                Calibrated for {o.label} since {o.on}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.canManage ? (
        <p>
          <Link to="/calibration/manage">Manage calibration recordings and reference ratings</Link>
        </p>
      ) : null}
    </>
  );
}
