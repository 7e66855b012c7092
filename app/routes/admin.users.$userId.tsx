import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { issueAccountLink } from "#app/auth/account-links.server";
import { requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field } from "#app/components/field";
import { RoleCheckboxes } from "#app/components/role-checkboxes";
import { getDb } from "#app/db.server";
import { NameSchema, RolesSchema } from "#app/domain/account-rules";
import { ROLE_LABELS } from "#app/domain/roles";
import { parseForm, parseWith } from "#app/forms/parse";
import { mailConfigured } from "#app/mail/mailer.server";
import { accreditingBodyOf, setAccreditingBody } from "#app/models/accreditor.server";
import { type AnonymiseError, anonymisePerson, getAnonymisedAt } from "#app/models/person-removal.server";
import { type AdminChangeError, getUserDetail, setUserActive, setUserRoles, updateUserDetails } from "#app/models/user.server";

export const meta: MetaFunction = () => [{ title: "Person — Attune" }];

const optionalText = z
  .string()
  .trim()
  .max(100, "Use at most 100 characters")
  .transform((v) => (v === "" ? null : v));

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("roles"), roles: RolesSchema }),
  z.object({
    intent: z.literal("details"),
    name: NameSchema,
    registrationBody: optionalText.default(null),
    registrationNumber: optionalText.default(null),
  }),
  z.object({ intent: z.literal("accrediting-body"), accreditingBody: optionalText.default(null) }),
  z.object({ intent: z.literal("deactivate") }),
  z.object({ intent: z.literal("reactivate") }),
  z.object({ intent: z.literal("reissue-invitation") }),
  z.object({ intent: z.literal("reset-link") }),
  z.object({
    intent: z.literal("anonymise"),
    confirm: z.literal("yes", { message: "Tick the box to confirm that this cannot be undone" }),
  }),
]);

const CHANGE_ERRORS: Record<AdminChangeError, string> = {
  "not-found": "That account no longer exists.",
  "last-admin": "Attune must keep at least one active administrator.",
  self: "You cannot remove your own administrator access or deactivate yourself.",
  anonymised: "This person was anonymised: the account cannot be reactivated.",
};

const ANONYMISE_ERRORS: Record<AnonymiseError, string> = {
  "not-found": "That account no longer exists.",
  "last-admin": "Attune must keep at least one active administrator.",
  self: "You cannot anonymise yourself.",
  "already-anonymised": "This person has already been anonymised.",
};

async function loadUser(userId: string | undefined) {
  const user = userId ? await getUserDetail(getDb(), userId) : null;
  if (!user) throw new Response("Not found", { status: 404 });
  return user;
}

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "users:manage");
  const user = await loadUser(args.params.userId);
  const [anonymisedAt, accreditingBody] = await Promise.all([getAnonymisedAt(getDb(), user.id), accreditingBodyOf(getDb(), user.id)]);
  const confirmAnonymise = !anonymisedAt && new URL(args.request.url).searchParams.get("anonymise") === "confirm";
  return {
    user: { ...user, accreditingBody },
    mail: mailConfigured(),
    anonymisedAt: anonymisedAt?.toISOString() ?? null,
    confirmAnonymise,
  };
}

type ActionResult = { errors?: Record<string, string>; notice?: string; link?: { label: string; url: string; mailed: boolean } };

export async function action(args: ActionFunctionArgs) {
  const admin = await requirePermission(args, "users:manage");
  const user = await loadUser(args.params.userId);
  const form = await parseForm(args.request, z.object({ intent: z.string() }).passthrough(), ["roles"]);
  const parsed = parseWith(ActionSchema, form.values);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors }, { status: 400 });
  const db = getDb();
  const input = parsed.data;
  if (await getAnonymisedAt(db, user.id)) {
    return data<ActionResult>({ errors: { form: ANONYMISE_ERRORS["already-anonymised"] } }, { status: 409 });
  }
  const fail = (error: AdminChangeError) =>
    data<ActionResult>({ errors: { form: CHANGE_ERRORS[error] } }, { status: error === "not-found" ? 404 : 409 });

  switch (input.intent) {
    case "roles": {
      const r = await setUserRoles(db, { userId: user.id, roles: input.roles, by: admin.id });
      return r.ok ? data<ActionResult>({ notice: "Roles saved." }) : fail(r.error);
    }
    case "details": {
      await updateUserDetails(db, { userId: user.id, by: admin.id, ...input });
      return data<ActionResult>({ notice: "Details saved." });
    }
    case "accrediting-body": {
      await setAccreditingBody(db, { userId: user.id, body: input.accreditingBody, by: admin.id });
      return data<ActionResult>({ notice: input.accreditingBody ? "Accrediting body saved." : "Accrediting body removed." });
    }
    case "deactivate":
    case "reactivate": {
      const r = await setUserActive(db, { userId: user.id, active: input.intent === "reactivate", by: admin.id });
      if (!r.ok) return fail(r.error);
      return data<ActionResult>({
        notice: input.intent === "deactivate" ? "Account deactivated and signed out everywhere." : "Account reactivated.",
      });
    }
    case "reissue-invitation":
    case "reset-link": {
      const kind = input.intent === "reset-link" ? "password-reset" : "invitation";
      const r = await issueAccountLink(db, { kind, userId: user.id, by: admin.id, baseUrl: args.context.appUrl });
      if (!r.ok) {
        const message =
          kind === "invitation" ? "Only a pending invitation can be sent again." : "Only an active account can reset its password.";
        return data<ActionResult>({ errors: { form: message } }, { status: 409 });
      }
      const label = kind === "invitation" ? "New invitation link" : "Password-reset link";
      return data<ActionResult>({ link: { label, url: r.url, mailed: r.mailed } });
    }
    case "anonymise": {
      const r = await anonymisePerson(db, { userId: user.id, by: admin.id });
      if (!r.ok) {
        return data<ActionResult>({ errors: { form: ANONYMISE_ERRORS[r.error] } }, { status: r.error === "not-found" ? 404 : 409 });
      }
      return data<ActionResult>({ notice: "Anonymised. Their name, email and registration are gone; their records remain." });
    }
  }
}

export default function UserDetail() {
  const { user, anonymisedAt, confirmAnonymise } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/users">← All people</Link>
      </p>
      <h1>{user.name}</h1>
      <ErrorSummary errors={result?.errors} />
      {result?.notice ? (
        <div className="alert alert--success" role="status">
          {result.notice}
        </div>
      ) : null}
      {result?.link ? (
        <div className="alert alert--success" role="status">
          <p>
            {result.link.mailed ? `Emailed to ${user.email}. ` : `Give this link to ${user.email} yourself. `}It works once and is shown
            only now.
          </p>
          <p>
            <strong>{result.link.label}:</strong>
            <output className="secret-link" data-testid="one-time-link">
              {result.link.url}
            </output>
          </p>
        </div>
      ) : null}
      <dl className="facts panel">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Status</dt>
        <dd data-testid="status">{user.status.toLowerCase()}</dd>
        <dt>Roles</dt>
        <dd>{user.roles.map((r) => ROLE_LABELS[r]).join(", ")}</dd>
        <dt>Signed in on</dt>
        <dd>
          {user.activeSessions} {user.activeSessions === 1 ? "device" : "devices"}
        </dd>
        <dt>Cohorts</dt>
        <dd>
          {user.memberships.length
            ? user.memberships.map((m) => (
                <Link key={m.cohort.id} to={`/admin/cohorts/${m.cohort.id}`} className="badge">
                  {m.cohort.name}
                </Link>
              ))
            : "None"}
        </dd>
      </dl>

      {anonymisedAt ? (
        <p className="panel" data-testid="anonymised">
          Anonymised on {anonymisedAt.slice(0, 10)}. Their quiz attempts, marks, progress, cohort history and audit events are kept under
          this placeholder; nothing about the account can change.
        </p>
      ) : (
        <AdminPanels user={user} errors={result?.errors} confirmAnonymise={confirmAnonymise} />
      )}
    </>
  );
}

function AdminPanels({
  user,
  errors,
  confirmAnonymise,
}: {
  user: ReturnType<typeof useLoaderData<typeof loader>>["user"];
  errors: Record<string, string> | undefined;
  confirmAnonymise: boolean;
}) {
  const result = { errors };
  return (
    <>
      <div className="grid">
        <section className="panel" aria-labelledby="roles-title">
          <h2 id="roles-title">Roles</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="roles" />
            <RoleCheckboxes key={user.roles.join()} selected={user.roles} />
            <button type="submit" className="button">
              Save roles
            </button>
          </Form>
        </section>

        <section className="panel" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="details" />
            <Field name="name" label="Full name" defaultValue={user.name} required error={result?.errors?.name} />
            <Field
              name="registrationBody"
              label="Home registration body"
              hint="For example HCPC, BACP, UKCP or BPS."
              defaultValue={user.registrationBody ?? ""}
              error={result?.errors?.registrationBody}
            />
            <Field
              name="registrationNumber"
              label="Registration number"
              defaultValue={user.registrationNumber ?? ""}
              error={result?.errors?.registrationNumber}
            />
            <button type="submit" className="button">
              Save details
            </button>
          </Form>
        </section>

        {user.roles.includes("ACCREDITOR") || user.accreditingBody ? (
          <section className="panel" aria-labelledby="accrediting-title">
            <h2 id="accrediting-title">Accrediting body</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="accrediting-body" />
              <Field
                name="accreditingBody"
                label="Registration body this accreditor acts for"
                hint="Their dashboard lists certificates whose home registration body is this one, e.g. BACP. Leave empty to unlink."
                defaultValue={user.accreditingBody ?? ""}
                error={result?.errors?.accreditingBody}
              />
              <button type="submit" className="button">
                Save accrediting body
              </button>
            </Form>
          </section>
        ) : null}

        <section className="panel" aria-labelledby="access-title">
          <h2 id="access-title">Access</h2>
          {user.status === "INVITED" ? (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="reissue-invitation" />
              <button type="submit" className="button button--secondary">
                Create a new invitation link
              </button>
            </Form>
          ) : null}
          {user.status === "ACTIVE" ? (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="reset-link" />
              <button type="submit" className="button button--secondary">
                Create a password-reset link
              </button>
            </Form>
          ) : null}
          {user.status === "DEACTIVATED" ? (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="reactivate" />
              <button type="submit" className="button">
                Reactivate account
              </button>
            </Form>
          ) : (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="deactivate" />
              <button type="submit" className="button button--danger">
                Deactivate account
              </button>
              <span className="muted">Signs them out everywhere at once.</span>
            </Form>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="anonymise-title">
        <h2 id="anonymise-title">Remove this person</h2>
        <p>
          People are anonymised, never deleted: their name, email, registration, password, sessions and private journal go; their quiz
          attempts, marks, progress, cohort history and audit events stay, as evidence.
        </p>
        {confirmAnonymise || errors?.confirm ? (
          <Form method="post" aria-labelledby="anonymise-title">
            <input type="hidden" name="intent" value="anonymise" />
            <div className="field">
              <label>
                <input
                  id="field-confirm"
                  type="checkbox"
                  name="confirm"
                  value="yes"
                  aria-invalid={errors?.confirm ? true : undefined}
                  aria-describedby={errors?.confirm ? "confirm-error" : undefined}
                />{" "}
                I understand that anonymising {user.name} cannot be undone.
              </label>
              {errors?.confirm ? (
                <p className="field-error" id="confirm-error">
                  {errors.confirm}
                </p>
              ) : null}
            </div>
            <div className="actions">
              <button type="submit" className="button button--danger">
                Anonymise permanently
              </button>
              <Link to=".">Cancel</Link>
            </div>
          </Form>
        ) : (
          <p className="actions">
            <Link to="?anonymise=confirm" className="button button--secondary">
              Anonymise…
            </Link>
          </p>
        )}
      </section>
    </>
  );
}
