import type { LoaderFunctionArgs } from "@remix-run/node";
import { lookUpCredential } from "#app/verification/credentials.server";
import { API_HEADERS, apiError, methodNotAllowed, requireGet, tooManyRequests } from "#app/verification/http.server";

/**
 * Public: the certificate's credential as a VC-JWT (compact JWS, RS256, `kid` in /.well-known/jwks.json), as
 * application/vc+jwt. The same credential as credential.json, signed once and kept. Rate-limited.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireGet(request);
  const found = await lookUpCredential(context, params.code ?? "");
  switch (found.kind) {
    case "limited":
      return tooManyRequests(found.retryAfterSeconds);
    case "malformed":
      return apiError(400, "That is not a certificate code. Codes look like ATN-7K4Q-92XD.");
    case "unknown":
      return apiError(404, `No certificate has the code ${found.code}.`);
    case "found":
      return new Response(found.credential.jwt, { headers: { ...API_HEADERS, "Content-Type": "application/vc+jwt" } });
  }
}

export async function action({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request.method);
}
