import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requirePermission } from "#app/auth/session.server";
import { getDb } from "#app/db.server";
import { BULK_REFUSALS } from "#app/domain/bulk-verify";
import { accreditingBodyOf } from "#app/models/accreditor.server";
import { bulkVerify } from "#app/verification/bulk.server";

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "accreditor:bulk-verify");
  throw redirect("/accreditor/bulk");
}

/**
 * The uploaded CSV in, the results CSV out, both streamed (app/verification/bulk.server.ts). A file that cannot be
 * read at all goes back to the form with the reason (a browser), or gets a 4xx JSON { error } (any other client).
 * The body is a file stream, so it is not read with readForm (which is for a few fields of text).
 */
export async function action(args: ActionFunctionArgs) {
  const user = await requirePermission(args, "accreditor:bulk-verify");
  const result = await bulkVerify(args.request, {
    accreditor: { id: user.id, accreditingBody: await accreditingBodyOf(getDb(), user.id) },
    baseUrl: args.context.appUrl,
    drained: args.context.responseDrained,
  });
  if (result.ok) return result.response;
  const { status, reason } = result.refusal;
  if ((args.request.headers.get("Accept") ?? "").includes("text/html")) throw redirect(`/accreditor/bulk?error=${reason}`, 303);
  return Response.json({ error: BULK_REFUSALS[reason] }, { status });
}
