import type { LoaderFunctionArgs } from "@remix-run/node";
import { controllerDocument } from "#app/credentials/issuer.server";
import { loadSigningKeys } from "#app/credentials/keys.server";
import { publicDocumentHeaders } from "#app/credentials/public-documents.server";

/**
 * The issuer's controller document: every Ed25519 verification method (Multikey), current and retired, that the
 * embedded proofs of our credentials and status lists name. Ids from the app's base URL, never the request. Public.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const keys = await loadSigningKeys();
  return new Response(JSON.stringify(controllerDocument(keys, { appUrl: context.appUrl })), {
    headers: publicDocumentHeaders("application/ld+json"),
  });
}
