import type { LoaderFunctionArgs } from "@remix-run/node";
import { openApiDocument } from "#app/domain/openapi";
import { apiJson, methodNotAllowed, requireGet } from "#app/verification/http.server";

/** Public: the OpenAPI 3.1 description of /api/v1 (app/domain/openapi.ts), with APP_URL as its server. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireGet(request);
  return apiJson(openApiDocument(context.appUrl));
}

export async function action({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request.method);
}
