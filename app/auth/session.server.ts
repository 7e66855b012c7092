import { type AppLoadContext, redirect } from "@remix-run/node";
import { Cookie, type User } from "lucia";
import { lucia } from "#app/auth/lucia.server";
import { type Action, can, mayEver, type Relation } from "#app/domain/permissions";
import type { Role } from "#app/domain/roles";

/**
 * The signed-in person as the rest of the app sees them. Routes and models use
 * this type, never the session library's own.
 */
export type CurrentUser = { id: string; email: string; name: string; roles: Role[] };

function toCurrentUser(user: User): CurrentUser {
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
}
type Args = { request: Request; context: AppLoadContext };

/** One session lookup per request, however many loaders ask. */
const perRequest = new WeakMap<object, Promise<CurrentUser | null>>();

/**
 * The session id from the Cookie header, or null. A header that cannot be
 * parsed (bad percent-encoding in any cookie, ours or not) counts as no
 * session rather than failing the request.
 */
function sessionIdOf(cookieHeader: string | null | undefined): string | null {
  try {
    return lucia().readSessionCookie(cookieHeader ?? "");
  } catch {
    return null;
  }
}

async function lookUp(cookieHeader: string | null | undefined): Promise<CurrentUser | null> {
  const auth = lucia();
  const sessionId = sessionIdOf(cookieHeader);
  if (!sessionId) return null;
  const { user } = await auth.validateSession(sessionId);
  if (user?.status !== "ACTIVE") return null;
  return toCurrentUser(user);
}

/**
 * The signed-in, active person behind a Cookie header, for handlers that run
 * outside Remix (the upload and media endpoints). Remix loaders use getUser/requireUser.
 */
export function userFromCookieHeader(cookieHeader: string | undefined): Promise<CurrentUser | null> {
  return lookUp(cookieHeader);
}

export function getUser({ request, context }: Args): Promise<CurrentUser | null> {
  let pending = perRequest.get(context);
  if (!pending) {
    pending = lookUp(request.headers.get("Cookie"));
    perRequest.set(context, pending);
  }
  return pending;
}

const OWN_ORIGIN = "http://attune.invalid";
// Controls (C0, DEL, C1: NUL, tab, CR, LF, …), invisible format characters (BOM, bidi overrides) and every space or separator (U+3000, NBSP, U+2028, …).
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/**
 * Where to come back to after signing in: a path on our own origin, or the
 * fallback. The target is resolved against our origin and must stay on it;
 * control characters and whitespace are refused outright (browsers strip tabs
 * and newlines, so `/\t/evil.example` would become `//evil.example`). The
 * result is the URL parser's own ASCII serialisation, safe in a Location header.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048 || UNSAFE_CHARACTERS.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  let url: URL;
  try {
    url = new URL(to, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}

export async function requireUser(args: Args): Promise<CurrentUser> {
  const user = await getUser(args);
  if (!user) {
    const url = new URL(args.request.url);
    const back = url.pathname + url.search;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export function forbidden(message = "You do not have access to this page."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/**
 * The user, if signed in and able to do `action` to at least some resource
 * (app/domain/permissions.ts); otherwise a redirect to sign in or a 403.
 * Scoped actions must then be checked on the resource with `requireOn`.
 */
export async function requirePermission(args: Args, action: Action): Promise<CurrentUser> {
  const user = await requireUser(args);
  if (!mayEver(user, action)) throw forbidden();
  return user;
}

/**
 * Throws a 404 unless the user may do `action` to this resource, given the
 * relations they hold to it: someone else's thing looks like no thing.
 */
export function requireOn(user: CurrentUser, action: Action, relations: Iterable<Relation>): void {
  if (!can(user, action, relations)) throw notFound();
}

/** Starts a new session (rotating any old one) and returns its Set-Cookie value. */
export async function startSession(request: Request, userId: string): Promise<string> {
  const auth = lucia();
  const previous = sessionIdOf(request.headers.get("Cookie"));
  if (previous) await auth.invalidateSession(previous);
  const session = await auth.createSession(userId, {});
  return browserSessionCookie(auth.createSessionCookie(session.id));
}

/**
 * Lucia's `expires: false` still sets a 400-day Max-Age; drop it so the cookie
 * lives only as long as the browser session. The server-side expiry (sliding,
 * SESSION_TTL_HOURS) decides how long a session really lasts.
 */
function browserSessionCookie(cookie: Cookie): string {
  const { maxAge: _maxAge, expires: _expires, ...attributes } = cookie.attributes;
  return new Cookie(cookie.name, cookie.value, attributes).serialize();
}

export async function endSession(request: Request): Promise<string> {
  const auth = lucia();
  const sessionId = sessionIdOf(request.headers.get("Cookie"));
  if (sessionId) await auth.invalidateSession(sessionId);
  return auth.createBlankSessionCookie().serialize();
}

export async function endAllSessions(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}
