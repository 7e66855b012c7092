import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificateJson } from "#app/domain/verification";
import { apiError, apiJson, methodNotAllowed, requireGet, tooManyRequests } from "#app/verification/http.server";
import { lookUpCode } from "#app/verification/lookup.server";

/** Public: a certificate's status by its code (OpenAPI: /api/v1/openapi.json). Rate-limited per client address. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireGet(request);
  const found = await lookUpCode(context, params.code ?? "");
  switch (found.kind) {
    case "limited":
      return tooManyRequests(found.retryAfterSeconds);
    case "malformed":
      return apiError(400, "That is not a certificate code. Codes look like ATN-7K4Q-92XD.");
    case "unknown":
      return apiError(404, `No certificate has the code ${found.code}.`);
    case "found":
      return apiJson(certificateJson(found.certificate));
  }
}

export async function action({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request.method);
}
