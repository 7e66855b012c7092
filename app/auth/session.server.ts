import { type AppLoadContext, redirect } from "@remix-run/node";
import { Cookie, type User } from "lucia";
import { hasAnyRole, type Role } from "../domain/roles";
import { lucia } from "./lucia.server";

export type CurrentUser = User;
type Args = { request: Request; context: AppLoadContext };

/** One session lookup per request, however many loaders ask. */
const perRequest = new WeakMap<object, Promise<CurrentUser | null>>();

async function lookUp(request: Request): Promise<CurrentUser | null> {
  const auth = lucia();
  const sessionId = auth.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return null;
  const { user } = await auth.validateSession(sessionId);
  if (user?.status !== "ACTIVE") return null;
  return user;
}

export function getUser({ request, context }: Args): Promise<CurrentUser | null> {
  let pending = perRequest.get(context);
  if (!pending) {
    pending = lookUp(request);
    perRequest.set(context, pending);
  }
  return pending;
}

/** Where to come back to after signing in: a same-site path only. */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
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

/** The user, if signed in and holding at least one of `roles`; otherwise a redirect or a 403. */
export async function requireRole(args: Args, roles: readonly Role[]): Promise<CurrentUser> {
  const user = await requireUser(args);
  if (!hasAnyRole(user.roles, roles)) throw forbidden();
  return user;
}

/** Starts a new session (rotating any old one) and returns its Set-Cookie value. */
export async function startSession(request: Request, userId: string): Promise<string> {
  const auth = lucia();
  const previous = auth.readSessionCookie(request.headers.get("Cookie") ?? "");
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
  const sessionId = auth.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (sessionId) await auth.invalidateSession(sessionId);
  return auth.createBlankSessionCookie().serialize();
}

export async function endAllSessions(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}
