import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#app/db.server";
import { certificateJson, RegisterQuerySchema, registerQueryInput } from "#app/domain/verification";
import { parseWith } from "#app/forms/parse";
import { searchRegister } from "#app/models/register.server";
import { apiError, apiJson, methodNotAllowed, requireGet, tooManyRequests } from "#app/verification/http.server";
import { countLookup } from "#app/verification/rate-limit.server";

/** Public: search the register by name or registration number (OpenAPI: /api/v1/openapi.json). Rate-limited. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireGet(request);
  const rate = await countLookup(context);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const parsed = parseWith(RegisterQuerySchema, registerQueryInput(new URL(request.url)));
  if (!parsed.ok)
    return apiError(
      400,
      Object.entries(parsed.errors)
        .map(([k, m]) => `${k}: ${m}`)
        .join("; "),
    );
  const page = await searchRegister(getDb(), parsed.data, context.appUrl);
  return apiJson({ ...page, results: page.results.map(certificateJson) });
}

export async function action({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request.method);
}
