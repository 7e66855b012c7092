import { Link } from "@remix-run/react";

/** A rater's calibration for the current framework version in one line, with a link to their calibration page. */
export type CalibrationStatusProps = {
  calibrated: boolean;
  passed: number;
  required: number;
  frameworkTitle: string;
  frameworkVersion: number;
  qualifiedOn: string | null;
};

export function CalibrationStatus(c: CalibrationStatusProps) {
  const framework = `${c.frameworkTitle} v${c.frameworkVersion}`;
  return (
    <section aria-labelledby="calibration-status-title">
      <h2 id="calibration-status-title">Calibration</h2>
      {c.calibrated ? (
        <p>
          Calibrated for {framework}
          {c.qualifiedOn ? ` since ${c.qualifiedOn}` : ""}. <Link to="/calibration">Your calibration</Link>
        </p>
      ) : (
        <p className="alert" role="status">
          Not calibrated yet for {framework}: {c.passed} of {c.required} calibration recordings passed. Until then you cannot be assigned
          summative recordings. <Link to="/calibration">Rate calibration recordings</Link>
        </p>
      )}
      <progress max={c.required} value={Math.min(c.passed, c.required)} aria-label="Calibration recordings passed">
        {c.passed} of {c.required}
      </progress>
    </section>
  );
}
