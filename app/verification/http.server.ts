/**
 * Answers of the public JSON API (/api/v1): JSON with `{ error }` on every refusal, never cached (a status can
 * change at any moment and every lookup is counted), readable from any origin (no credentials: nothing here
 * depends on a session). ADR 0034.
 */
export const API_HEADERS = {
  "Cache-Control": "no-store",
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Retry-After",
} as const;

export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...API_HEADERS, ...init.headers } });
}

export function apiError(status: 400 | 404 | 405 | 429 | 503, error: string, headers: Record<string, string> = {}): Response {
  return apiJson({ error }, { status, headers });
}

/** The API answers GET and HEAD only. */
export function methodNotAllowed(method: string): Response {
  return apiError(405, `Method ${method} is not allowed here; use GET.`, { Allow: "GET, HEAD" });
}

/** Throws the 405 for a loader called with another method (OPTIONS reaches loaders). */
export function requireGet(request: Request): void {
  if (request.method !== "GET" && request.method !== "HEAD") throw methodNotAllowed(request.method);
}

export function tooManyRequests(retryAfterSeconds: number): Response {
  return apiError(429, `Too many requests from your network. Try again in ${retryAfterSeconds} seconds.`, {
    "Retry-After": String(retryAfterSeconds),
  });
}
