import type { LoaderFunctionArgs } from "@remix-run/node";
import { isStatusPurpose } from "#app/credentials/issuer.server";
import { publicDocumentHeaders } from "#app/credentials/public-documents.server";
import { statusListCredential } from "#app/models/status-list.server";

/** A signed BitstringStatusListCredential: /api/v1/status-lists/revocation or /suspension. Public, cacheable briefly. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const purpose = params.purpose;
  if (!isStatusPurpose(purpose)) {
    return Response.json({ error: "No such status list: try revocation or suspension." }, { status: 404 });
  }
  const credential = await statusListCredential(purpose, { appUrl: context.appUrl });
  return new Response(JSON.stringify(credential), { headers: publicDocumentHeaders("application/vc+ld+json", { maxAge: 60 }) });
}
