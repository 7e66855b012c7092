// Helpers for integration tests: real database, real route modules, real sessions.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { lucia } from "#app/auth/lucia.server";
import { getDb } from "#app/db.server";
import type { Role } from "#app/domain/roles";
import { env, publicBaseUrl } from "#app/env.server";
import { createActiveUser } from "#app/models/user.server";

export const PASSWORD = "correct horse battery staple";

let counter = 0;

export async function makeUser(roles: Role[], overrides: { email?: string; name?: string; password?: string } = {}) {
  counter += 1;
  const email = overrides.email ?? `${roles.join("-").toLowerCase()}-${counter}-${Date.now()}@example.test`;
  const result = await createActiveUser(getDb(), {
    email,
    name: overrides.name ?? `${roles[0]?.toLowerCase()} ${counter}`,
    roles,
    password: overrides.password ?? PASSWORD,
  });
  if (!result.ok) throw new Error(`could not create ${email}`);
  return { id: result.userId, email };
}

/** A Cookie header for a fresh session of this user, as the browser would send it. */
export async function cookieFor(userId: string): Promise<string> {
  const session = await lucia().createSession(userId, {});
  return `attune_session=${session.id}`;
}

type Call = {
  path: string;
  cookie?: string;
  params?: Record<string, string>;
  form?: Record<string, string | string[]>;
  ip?: string;
  headers?: Record<string, string>;
  /** The request's own origin, as a client's Host header would make it (default http://localhost). */
  origin?: string;
};

export type Outcome = { status: number; headers: Headers; data: unknown };

export function testContext(ip = "127.0.0.1"): AppLoadContext {
  return { cspNonce: "test-nonce", clientIp: ip, appUrl: publicBaseUrl(env()) };
}

function request({ path, cookie, form, headers, origin = "http://localhost" }: Call): Request {
  const h = new Headers(headers);
  if (cookie) h.set("Cookie", cookie);
  if (!form) return new Request(`${origin}${path}`, { headers: h });
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  h.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(`${origin}${path}`, { method: "POST", headers: h, body });
}

/** A Response as status, headers and data (its body as JSON when it parses, else as text). */
export async function outcomeOf(res: Response): Promise<Outcome> {
  const text = await res.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, data };
}

/** Turns what a loader/action returned or threw into status, headers and data. */
async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
    if (!(thrown instanceof Response)) throw thrown;
  }
  if (value instanceof Response) return outcomeOf(value);
  if (value && typeof value === "object" && (value as { type?: string }).type === "DataWithResponseInit") {
    const d = value as { data: unknown; init?: ResponseInit | null };
    return { status: d.init?.status ?? 200, headers: new Headers(d.init?.headers), data: d.data };
  }
  return { status: 200, headers: new Headers(), data: value };
}

type Loader = (args: LoaderFunctionArgs) => unknown;
type Action = (args: ActionFunctionArgs) => unknown;

export function callLoader(loader: Loader, call: Call): Promise<Outcome> {
  return settle(async () => loader({ request: request(call), params: call.params ?? {}, context: testContext(call.ip) }));
}

export function callAction(action: Action, call: Call & { form: Record<string, string | string[]> }): Promise<Outcome> {
  return settle(async () => action({ request: request(call), params: call.params ?? {}, context: testContext(call.ip) }));
}

/** Posts a multipart/form-data body (files and fields, as a browser's file form sends it) to an action. */
export function callMultipart(action: Action, call: Omit<Call, "form"> & { body: FormData }): Promise<Outcome> {
  const h = new Headers(call.headers);
  if (call.cookie) h.set("Cookie", call.cookie);
  const req = new Request(`${call.origin ?? "http://localhost"}${call.path}`, { method: "POST", headers: h, body: call.body });
  return settle(async () => action({ request: req, params: call.params ?? {}, context: testContext(call.ip) }));
}

/** Calls a loader that answers with a body to stream (a download): the Response itself, not read as text. */
export async function callForResponse(loader: Loader, call: Call): Promise<Response> {
  try {
    const out = await loader({ request: request(call), params: call.params ?? {}, context: testContext(call.ip) });
    if (out instanceof Response) return out;
    return Response.json(out);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export function setCookieOf(outcome: Outcome): string | null {
  return outcome.headers.get("Set-Cookie");
}

/** The Cookie header a browser would send back after this Set-Cookie. */
export function cookieFromSetCookie(setCookie: string | null): string {
  if (!setCookie) throw new Error("no Set-Cookie");
  return setCookie.split(";")[0] as string;
}
