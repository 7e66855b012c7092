import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { tokenPasswordAction, tokenPasswordLoader } from "#app/auth/token-password.server";
import { SetPasswordForm } from "#app/components/set-password-form";

export const meta: MetaFunction = () => [{ title: "Reset your password — Attune" }];

export const loader = (args: LoaderFunctionArgs) => tokenPasswordLoader(args, "PASSWORD_RESET");
export const action = (args: ActionFunctionArgs) => tokenPasswordAction(args, "PASSWORD_RESET");

export default function ResetPassword() {
  const { valid, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <SetPasswordForm
      title="Choose a new password"
      intro={`For ${email ?? "your account"}. Every device signed in to this account will be signed out.`}
      submitLabel="Save new password and sign in"
      valid={valid}
      email={email}
      errors={actionData?.errors}
    />
  );
}
