import type { z } from "zod";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Turns FormData into a plain object: repeated names (and those listed in
 * `arrays`) become arrays, files are dropped.
 */
export function formToObject(form: FormData, arrays: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of arrays) out[name] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const current = out[name];
    if (Array.isArray(current)) current.push(value);
    else if (current !== undefined) out[name] = [current, value];
    else out[name] = value;
  }
  return out;
}

/** Validates input against a schema; the first message per field is kept. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);
/** Forms here are a few fields of text; anything bigger is refused before it is read. */
export const MAX_FORM_BYTES = 1_000_000;

function refuse(status: 400 | 413 | 415, error: string): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

/**
 * The one way an action reads its form: the request's fields, or a thrown
 * 4xx Response with a clear message — 415 for a body that is not a form, 413
 * for one that is too large, 400 for one that cannot be parsed (a broken
 * multipart boundary, a truncated body). Never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.has(type)) {
    throw refuse(415, "Send this form as application/x-www-form-urlencoded or multipart/form-data.");
  }
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (!Number.isFinite(length) || length > MAX_FORM_BYTES) throw refuse(413, "That form is too large.");
  try {
    return await request.formData();
  } catch {
    throw refuse(400, "The form could not be read. Please go back and try again.");
  }
}

export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
  arrays: readonly string[] = [],
): Promise<Parsed<z.output<S>> & { values: Record<string, unknown> }> {
  const values = formToObject(await readForm(request), arrays);
  return { ...parseWith(schema, values), values };
}
