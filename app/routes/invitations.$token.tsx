import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { tokenPasswordAction, tokenPasswordLoader } from "#app/auth/token-password.server";
import { SetPasswordForm } from "#app/components/set-password-form";

export const meta: MetaFunction = () => [{ title: "Accept your invitation — Attune" }];

export const loader = (args: LoaderFunctionArgs) => tokenPasswordLoader(args, "INVITATION");
export const action = (args: ActionFunctionArgs) => tokenPasswordAction(args, "INVITATION");

export default function AcceptInvitation() {
  const { valid, email, name } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <SetPasswordForm
      title={`Welcome to Attune${name ? `, ${name}` : ""}`}
      intro={`Choose a password for ${email ?? "your account"} to finish setting it up.`}
      submitLabel="Set password and sign in"
      valid={valid}
      email={email}
      errors={actionData?.errors}
    />
  );
}
