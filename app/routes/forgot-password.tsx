import { type ActionFunctionArgs, data, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requestPasswordReset } from "#app/auth/account-links.server";
import { ErrorSummary, Field } from "#app/components/field";
import { getDb } from "#app/db.server";
import { EmailSchema } from "#app/domain/account-rules";
import { type FieldErrors, parseForm } from "#app/forms/parse";
import { mailConfigured } from "#app/mail/mailer.server";

export const meta: MetaFunction = () => [{ title: "Forgotten password — Attune" }];

const ForgotSchema = z.object({ email: EmailSchema });

export async function loader() {
  return { mail: mailConfigured() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!mailConfigured())
    return data(
      { errors: { form: "Email is not set up here: ask an administrator for a reset link." } as FieldErrors, sent: false },
      { status: 400 },
    );
  const form = await parseForm(request, ForgotSchema);
  if (!form.ok) return data({ errors: form.errors, sent: false }, { status: 400 });
  const outcome = await requestPasswordReset(getDb(), { email: form.data.email, ip: context.clientIp, baseUrl: context.appUrl });
  if (!outcome.ok) {
    return data(
      { errors: { form: "Too many reset requests from here. Please try again later." } as FieldErrors, sent: false },
      { status: 429 },
    );
  }
  // The same answer, in the same time, whether or not the account exists.
  return { errors: undefined, sent: true };
}

export default function ForgotPassword() {
  const { mail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Forgotten your password?</h1>
      {!mail ? (
        <p>Ask an Attune administrator for a password-reset link. They can create one from your account page.</p>
      ) : actionData?.sent ? (
        <div className="alert alert--success" role="status">
          If that address belongs to an active account, a reset link is on its way. It works once and expires soon.
        </div>
      ) : (
        <>
          <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
          <ErrorSummary errors={actionData?.errors} />
          <Form method="post" noValidate>
            <Field name="email" label="Email address" type="email" autoComplete="username" required error={actionData?.errors?.email} />
            <button type="submit" className="button">
              Send reset link
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
