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

export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
  arrays: readonly string[] = [],
): Promise<Parsed<z.output<S>> & { values: Record<string, unknown> }> {
  const values = formToObject(await request.formData(), arrays);
  return { ...parseWith(schema, values), values };
}
