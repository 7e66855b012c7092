import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { isStatusPurpose } from "#app/credentials/issuer.server";
import { publicDocumentHeaders } from "#app/credentials/public-documents.server";
import { statusListCredential } from "#app/models/status-list.server";
import { apiError, methodNotAllowed, requireGet } from "#app/verification/http.server";

/**
 * A signed BitstringStatusListCredential: /api/v1/status-lists/revocation or /suspension. Public and cacheable
 * briefly (60 s: verifiers fetch it for every credential they check); GET and HEAD only; a refusal is the API's
 * JSON `{ error }`, never cached.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireGet(request);
  const purpose = params.purpose;
  if (!isStatusPurpose(purpose)) return apiError(404, "No such status list: try revocation or suspension.");
  const credential = await statusListCredential(purpose, { appUrl: context.appUrl });
  return new Response(JSON.stringify(credential), { headers: publicDocumentHeaders("application/vc+ld+json", { maxAge: 60 }) });
}

export async function action({ request }: ActionFunctionArgs) {
  return methodNotAllowed(request.method);
}
