import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requirePermission, startSession } from "#app/auth/session.server";
import { ErrorSummary, Field } from "#app/components/field";
import { getDb } from "#app/db.server";
import { NewPasswordSchema, PASSWORD_MIN } from "#app/domain/account-rules";
import { ROLE_LABELS } from "#app/domain/roles";
import { type FieldErrors, parseForm } from "#app/forms/parse";
import { changePassword, getUserDetail } from "#app/models/user.server";

export const meta: MetaFunction = () => [{ title: "Your account — Attune" }];

const ChangePasswordSchema = z
  .object({ current: z.string({ error: "Enter your current password" }).min(1, "Enter your current password").max(256) })
  .and(NewPasswordSchema);

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "account:manage-own");
  const detail = await getUserDetail(getDb(), user.id);
  if (!detail) throw new Response("Not found", { status: 404 });
  return {
    name: detail.name,
    email: detail.email,
    roles: detail.roles.map((r) => ROLE_LABELS[r]),
    registrationBody: detail.registrationBody,
    registrationNumber: detail.registrationNumber,
    cohorts: detail.memberships.map((m) => m.cohort.name),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "account:manage-own");
  const form = await parseForm(args.request, ChangePasswordSchema);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  const result = await changePassword(getDb(), { userId: user.id, current: form.data.current, next: form.data.password });
  if (!result.ok) return data({ errors: { current: "Your current password is not right" } as FieldErrors }, { status: 400 });
  // Every session ended with the change; this browser gets a fresh one.
  const cookie = await startSession(args.request, user.id);
  return redirect("/account?changed=1", { headers: { "Set-Cookie": cookie } });
}

export default function Account() {
  const account = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Your account</h1>
      {params.get("changed") ? (
        <div className="alert alert--success" role="status">
          Your password has been changed. Every other device has been signed out.
        </div>
      ) : null}
      <dl className="facts panel">
        <dt>Name</dt>
        <dd>{account.name}</dd>
        <dt>Email</dt>
        <dd>{account.email}</dd>
        <dt>Roles</dt>
        <dd>{account.roles.join(", ")}</dd>
        <dt>Registration</dt>
        <dd>{account.registrationBody ? `${account.registrationBody} ${account.registrationNumber ?? ""}` : "Not recorded"}</dd>
        <dt>Cohorts</dt>
        <dd>{account.cohorts.length ? account.cohorts.join(", ") : "None"}</dd>
      </dl>
      <section className="narrow" aria-labelledby="change-password">
        <h2 id="change-password">Change password</h2>
        <p className="muted">Changing your password signs you out everywhere else.</p>
        <ErrorSummary errors={actionData?.errors} />
        <Form method="post" noValidate>
          <Field
            name="current"
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            error={actionData?.errors?.current}
          />
          <Field
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN}
            hint={`At least ${PASSWORD_MIN} characters.`}
            error={actionData?.errors?.password}
          />
          <Field
            name="confirm"
            label="Repeat the new password"
            type="password"
            autoComplete="new-password"
            required
            error={actionData?.errors?.confirm}
          />
          <button type="submit" className="button">
            Change password
          </button>
        </Form>
      </section>
    </>
  );
}
