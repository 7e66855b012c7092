import { jwks } from "#app/credentials/issuer.server";
import { loadSigningKeys } from "#app/credentials/keys.server";
import { publicDocumentHeaders } from "#app/credentials/public-documents.server";

/** The RS256 public keys of our VC-JWT credentials, current and retired (kid = the JWT header's kid). Public. */
export async function loader() {
  const keys = await loadSigningKeys();
  return new Response(JSON.stringify(jwks(keys)), { headers: publicDocumentHeaders("application/jwk-set+json") });
}
