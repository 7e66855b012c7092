import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { startSession } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { NewPasswordSchema } from "#app/domain/account-rules";
import { parseForm } from "#app/forms/parse";
import type { TokenPurpose } from "#app/generated/prisma/enums";
import { findTokenHolder, setPasswordWithToken } from "#app/models/user.server";

/**
 * Loader and action shared by the invitation and password-reset pages: both
 * set a password through a one-time link, then sign the person in.
 */
export async function tokenPasswordLoader({ params }: LoaderFunctionArgs, purpose: TokenPurpose) {
  const holder = await findTokenHolder(getDb(), params.token ?? "", purpose);
  if (!holder) return data({ valid: false as const, email: null, name: null }, { status: 410 });
  return { valid: true as const, email: holder.email, name: holder.name };
}

export async function tokenPasswordAction({ request, params }: ActionFunctionArgs, purpose: TokenPurpose) {
  const form = await parseForm(request, NewPasswordSchema);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  const result = await setPasswordWithToken(getDb(), { token: params.token ?? "", purpose, password: form.data.password });
  if (!result.ok) {
    return data(
      { errors: { form: "This link has expired or has already been used. Ask an administrator for a new one." } },
      { status: 410 },
    );
  }
  const cookie = await startSession(request, result.userId);
  return redirect("/?welcome=1", { headers: { "Set-Cookie": cookie } });
}
