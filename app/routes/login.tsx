import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { attemptLogin } from "#app/auth/login.server";
import { getUser, safeRedirect, startSession } from "#app/auth/session.server";
import { ErrorSummary, Field, FormError } from "#app/components/field";
import { getDb } from "#app/db.server";
import { EmailSchema } from "#app/domain/account-rules";
import { parseForm } from "#app/forms/parse";

export const meta: MetaFunction = () => [{ title: "Sign in — Attune" }];

const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(256),
  redirectTo: z.string().optional(),
});

export async function loader(args: LoaderFunctionArgs) {
  if (await getUser(args)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, LoginSchema);
  const email = typeof form.values.email === "string" ? form.values.email : "";
  if (!form.ok) return data({ errors: form.errors, message: undefined, email }, { status: 400 });
  // Decided before any session exists: a bad target falls back to the home page, never to an error after sign-in.
  const to = safeRedirect(form.data.redirectTo);
  const result = await attemptLogin(getDb(), { ...form.data, ip: context.clientIp });
  if (!result.ok) {
    return data(
      { errors: undefined, message: result.message, email },
      {
        status: result.reason === "throttled" ? 429 : 401,
        headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
      },
    );
  }
  const cookie = await startSession(request, result.userId);
  return redirect(to, { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <ErrorSummary errors={actionData?.errors} />
      <FormError message={actionData?.message} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field
          name="email"
          label="Email address"
          type="email"
          autoComplete="username"
          required
          defaultValue={actionData?.email}
          error={actionData?.errors?.email}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          error={actionData?.errors?.password}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
          <Link to="/forgot-password">Forgotten your password?</Link>
        </div>
      </Form>
      <p className="muted">Attune has no open sign-up: an administrator invites you.</p>
    </div>
  );
}
