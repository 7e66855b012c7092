/**
 * The retention actions of one recording (ADR 0021): its trainee withdraws
 * it, an administrator holds it or lifts the hold. Plain HTML forms that post
 * to /recordings/<id>/retention (a full page load, with or without
 * JavaScript); the action redirects back to /recordings/<id> with
 * `?retention=<done>` or `?retention-error=<problem>`, which
 * `retentionFeedback` turns into a notice and field errors for these forms.
 * The recording page renders this where its retention actions go.
 */

export type RetentionDone = "withdrawn" | "held" | "released";
export type RetentionErrorCode =
  | "confirm-required"
  | "reason-required"
  | "reason-too-long"
  | "unknown-intent"
  | "not-withdrawable"
  | "rated"
  | "purged"
  | "already-held"
  | "not-held";

/** Longest hold or release reason, in characters. */
export const RETENTION_REASON_MAX = 500;

const DONE: Record<RetentionDone, string> = {
  withdrawn: "The recording was withdrawn. Nobody can play it now, and it will be destroyed at the next purge.",
  held: "The recording is on legal hold: it will not be destroyed until the hold is lifted.",
  released: "The legal hold was lifted: the recording's usual retention applies again.",
};

/** Each problem, the field it belongs to ("form" for the whole form) and what to tell the person. */
export const RETENTION_ERRORS: Record<RetentionErrorCode, { field: "confirm" | "reason" | "form"; message: string }> = {
  "confirm-required": { field: "confirm", message: "Tick the box to confirm that you want this recording withdrawn" },
  "reason-required": { field: "reason", message: "Give the reason for the hold (a complaint, an investigation, a court order…)" },
  "reason-too-long": { field: "reason", message: `Use at most ${RETENTION_REASON_MAX} characters` },
  "unknown-intent": { field: "form", message: "Unknown action: reload the page and try again" },
  "not-withdrawable": { field: "form", message: "This recording can no longer be withdrawn." },
  rated: { field: "form", message: "This recording has been rated, so it can no longer be withdrawn." },
  purged: { field: "form", message: "This recording has been destroyed: there is nothing left to hold." },
  "already-held": { field: "form", message: "This recording is already on legal hold." },
  "not-held": { field: "form", message: "This recording is not on legal hold." },
};

const isDone = (v: string | null): v is RetentionDone => v !== null && Object.hasOwn(DONE, v);
const isError = (v: string | null): v is RetentionErrorCode => v !== null && Object.hasOwn(RETENTION_ERRORS, v);

/** The notice and field errors in the recording page's URL after a retention action. */
export function retentionFeedback(search: URLSearchParams): { notice: string | null; errors: Record<string, string> } {
  const done = search.get("retention");
  const problem = search.get("retention-error");
  const errors: Record<string, string> = {};
  if (isError(problem)) errors[RETENTION_ERRORS[problem].field] = RETENTION_ERRORS[problem].message;
  return { notice: isDone(done) ? DONE[done] : null, errors };
}

type Props = {
  recordingId: string;
  status: "UPLOADING" | "READY" | "REJECTED" | "WITHDRAWN" | "PURGED";
  legalHold: boolean;
  /** The viewer owns it, it is uploading or ready, and it is not rated (isWithdrawable). */
  canWithdraw: boolean;
  /** The viewer may hold recordings (recording:hold). */
  canHold: boolean;
  errors?: Record<string, string>;
  /** What the last retention action did (retentionFeedback). */
  notice?: string | null;
};

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p className="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

export function RecordingRetentionForms({ recordingId, status, legalHold, canWithdraw, canHold, errors = {}, notice }: Props) {
  const action = `/recordings/${encodeURIComponent(recordingId)}/retention`;
  const showWithdraw = canWithdraw && (status === "READY" || status === "UPLOADING");
  const showHold = canHold && status !== "PURGED";
  if (!showWithdraw && !showHold && !notice) return null;
  return (
    <section id="retention" aria-labelledby="retention-title">
      <h2 id="retention-title">Keeping and destroying this recording</h2>
      {notice ? (
        <p className="alert alert--success" role="status">
          {notice}
        </p>
      ) : null}
      {errors.form ? (
        <p className="alert alert--error" role="alert">
          {errors.form}
        </p>
      ) : null}
      {showWithdraw ? (
        <form method="post" action={action} aria-labelledby="withdraw-title">
          <h3 id="withdraw-title">Withdraw this recording</h3>
          <p>
            Withdraw it if the client withdrew consent, or it should not be assessed. Nobody can play it afterwards, and it is destroyed at
            the next purge. This cannot be undone.
          </p>
          <input type="hidden" name="intent" value="withdraw" />
          <div className="field">
            <input
              type="checkbox"
              id="retention-confirm"
              name="confirm"
              value="yes"
              required
              aria-invalid={errors.confirm ? true : undefined}
              aria-describedby={errors.confirm ? "retention-confirm-error" : undefined}
            />{" "}
            <label htmlFor="retention-confirm">I want this recording withdrawn and destroyed</label>
            <FieldError id="retention-confirm-error" message={errors.confirm} />
          </div>
          <button type="submit" className="button button--danger">
            Withdraw recording
          </button>
        </form>
      ) : null}
      {showHold && !legalHold ? (
        <form method="post" action={action} aria-labelledby="hold-title">
          <h3 id="hold-title">Legal hold</h3>
          <p>A held recording is never destroyed, whatever its retention, until the hold is lifted.</p>
          <input type="hidden" name="intent" value="hold" />
          <div className="field">
            <label htmlFor="retention-reason">Reason for the hold</label>
            <textarea
              id="retention-reason"
              name="reason"
              required
              maxLength={RETENTION_REASON_MAX}
              rows={2}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "retention-reason-error" : undefined}
            />
            <FieldError id="retention-reason-error" message={errors.reason} />
          </div>
          <button type="submit" className="button">
            Put on legal hold
          </button>
        </form>
      ) : null}
      {showHold && legalHold ? (
        <form method="post" action={action} aria-labelledby="release-title">
          <h3 id="release-title">Legal hold</h3>
          <p>This recording is on legal hold. Lifting the hold lets its usual retention apply again.</p>
          <input type="hidden" name="intent" value="release" />
          <div className="field">
            <label htmlFor="retention-release-reason">Why the hold ends (optional)</label>
            <textarea
              id="retention-release-reason"
              name="reason"
              maxLength={RETENTION_REASON_MAX}
              rows={2}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "retention-release-reason-error" : undefined}
            />
            <FieldError id="retention-release-reason-error" message={errors.reason} />
          </div>
          <button type="submit" className="button">
            Lift legal hold
          </button>
        </form>
      ) : null}
    </section>
  );
}
