import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field } from "#app/components/field";
import { RoleCheckboxes } from "#app/components/role-checkboxes";
import { getDb } from "#app/db.server";
import { EmailSchema, NameSchema, RolesSchema } from "#app/domain/account-rules";
import { env } from "#app/env.server";
import { type FieldErrors, parseForm } from "#app/forms/parse";
import { invitationMessage, linkTo, mailConfigured, sendMail } from "#app/mail/mailer.server";
import { inviteUser } from "#app/models/user.server";

export const meta: MetaFunction = () => [{ title: "Invite a person — Attune" }];

const InviteSchema = z.object({ email: EmailSchema, name: NameSchema, roles: RolesSchema });

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "users:manage");
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requirePermission(args, "users:manage");
  const form = await parseForm(args.request, InviteSchema, ["roles"]);
  if (!form.ok) return data({ errors: form.errors, values: form.values, invited: null }, { status: 400 });
  const hours = env().INVITATION_TTL_HOURS;
  const result = await inviteUser(getDb(), { ...form.data, by: admin.id, ttlHours: hours });
  if (!result.ok) {
    return data(
      { errors: { email: "Someone with that email address already has an account" } as FieldErrors, values: form.values, invited: null },
      { status: 409 },
    );
  }
  const link = linkTo(args.context.appUrl, `/invitations/${result.token}`);
  const mailed = mailConfigured() ? await sendMail(invitationMessage({ to: form.data.email, name: form.data.name, link, hours })) : false;
  return { errors: undefined, values: undefined, invited: { userId: result.userId, email: form.data.email, link, hours, mailed } };
}

export default function InviteUser() {
  const actionData = useActionData<typeof action>();
  const values = (actionData?.values ?? {}) as Record<string, unknown>;
  const invited = actionData?.invited;
  if (invited) {
    return (
      <div className="narrow">
        <h1>Invitation created</h1>
        <div className="alert alert--success" role="status">
          {invited.mailed ? `An email with the link has been sent to ${invited.email}.` : `Give this link to ${invited.email} yourself.`} It
          works once and expires in {invited.hours} hours. It is shown only now.
        </div>
        <p>
          <label htmlFor="invitation-link">Invitation link</label>
          <output id="invitation-link" className="secret-link" data-testid="invitation-link">
            {invited.link}
          </output>
        </p>
        <div className="actions">
          <Link to={`/admin/users/${invited.userId}`} className="button button--secondary">
            View the account
          </Link>
          <Link to="/admin/users/new">Invite someone else</Link>
        </div>
      </div>
    );
  }
  const roles = Array.isArray(values.roles) ? (values.roles as string[]) : [];
  return (
    <div>
      <h1>Invite a person</h1>
      <p className="muted">They will get a one-time link to choose their password.</p>
      <ErrorSummary errors={actionData?.errors} />
      <Form method="post" noValidate>
        <Field
          name="name"
          label="Full name"
          autoComplete="off"
          required
          defaultValue={String(values.name ?? "")}
          error={actionData?.errors?.name}
        />
        <Field
          name="email"
          label="Email address"
          type="email"
          autoComplete="off"
          required
          defaultValue={String(values.email ?? "")}
          error={actionData?.errors?.email}
        />
        <RoleCheckboxes selected={roles} error={actionData?.errors?.roles} />
        <button type="submit" className="button">
          Create invitation
        </button>
      </Form>
    </div>
  );
}
