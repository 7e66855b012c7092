import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { ErrorSummary, Field, SelectField } from "#app/components/field";
import { getDb } from "#app/db.server";
import { NewCaseSchema } from "#app/domain/case-rules";
import { type FieldErrors, parseForm } from "#app/forms/parse";
import { createCase, supervisorChoices } from "#app/models/case.server";

export const meta: MetaFunction = () => [{ title: "Register a case — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "case:create");
  return supervisorChoices(getDb(), user.id);
}

export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "case:create");
  const form = await parseForm(args.request, NewCaseSchema(new Date()));
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const result = await createCase(getDb(), { traineeId: user.id, ...form.data });
  if (!result.ok) {
    const errors: FieldErrors =
      result.error === "code-taken"
        ? { clientCode: "You already have a case with this code: choose another" }
        : { supervisorId: "Choose an active trainer other than yourself" };
    return data({ errors, values: form.values }, { status: result.error === "code-taken" ? 409 : 400 });
  }
  return redirect(`/cases/${result.id}`);
}

export default function NewCase() {
  const { trainers, defaultId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = (actionData?.values ?? {}) as Record<string, unknown>;
  const errors = actionData?.errors;
  return (
    <section className="narrow">
      <h1>Register a training case</h1>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <Field
          name="clientCode"
          label="Client code"
          required
          autoComplete="off"
          spellCheck={false}
          defaultValue={String(values.clientCode ?? "")}
          error={errors?.clientCode}
          hint={
            <>
              A code you make up for this client, e.g. <code>C-0417</code>. <strong>Never</strong> a name, initials, date of birth, NHS
              number or anything else that could identify them. Keep the link between code and client in your service's clinical records,
              not here.
            </>
          }
        />
        <Field
          name="startedOn"
          label="Date of the first session"
          type="date"
          required
          defaultValue={String(values.startedOn ?? "")}
          error={errors?.startedOn}
        />
        <SelectField
          name="supervisorId"
          label="Supervisor"
          placeholder="Choose a supervisor"
          required
          hint="Your cohort supervisor is chosen for you when you have one."
          options={trainers.map((t) => ({ value: t.id, label: t.name }))}
          defaultValue={String(values.supervisorId ?? defaultId ?? "")}
          error={errors?.supervisorId}
        />
        <button type="submit" className="button">
          Register case
        </button>
      </Form>
    </section>
  );
}
