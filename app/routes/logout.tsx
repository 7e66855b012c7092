import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { endSession, getUser } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { recordAuditEvent } from "#app/models/audit.server";

export async function loader() {
  return redirect("/");
}

export async function action(args: ActionFunctionArgs) {
  const user = await getUser(args);
  const cookie = await endSession(args.request);
  if (user) await recordAuditEvent(getDb(), { type: "auth.logout", actorId: user.id, subjectId: user.id });
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}
