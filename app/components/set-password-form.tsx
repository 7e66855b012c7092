import { Form, Link, useNavigation } from "@remix-run/react";
import { ErrorSummary, Field } from "#app/components/field";
import { PASSWORD_MIN } from "#app/domain/account-rules";

export function SetPasswordForm({
  title,
  intro,
  submitLabel,
  valid,
  email,
  errors,
}: {
  title: string;
  intro: string;
  submitLabel: string;
  valid: boolean;
  email: string | null;
  errors?: Record<string, string>;
}) {
  const busy = useNavigation().state === "submitting";
  if (!valid) {
    return (
      <div className="narrow">
        <h1>This link no longer works</h1>
        <p>It has expired, has already been used, or was replaced by a newer one. Ask an administrator for a new link.</p>
        <p>
          <Link to="/login">Go to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{title}</h1>
      <p>{intro}</p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <input type="hidden" name="username" autoComplete="username" value={email ?? ""} readOnly />
        <Field
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters. A phrase of several words is easy to remember and hard to guess.`}
          error={errors?.password}
        />
        <Field
          name="confirm"
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          required
          error={errors?.confirm}
        />
        <button type="submit" className="button" disabled={busy}>
          {submitLabel}
        </button>
      </Form>
    </div>
  );
}
