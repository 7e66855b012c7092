import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/** A fresh nonce per response: only our own <script nonce> tags run. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"],
    "style-src": dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": dev ? ["'self'", "ws:"] : ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

export const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Sets the security headers and a per-request CSP nonce (res.locals.cspNonce);
 * HSTS when the app is public over HTTPS (APP_URL https://…) or this request came over TLS.
 */
export function securityHeaders({ dev, https = false }: { dev: boolean; https?: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (https || req.secure) res.setHeader("Strict-Transport-Security", HSTS);
    const nonce = newNonce();
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, { dev }));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Decides whether a state-changing request may proceed: it must not come from
 * another site. Browsers send Origin on every cross-origin POST (and
 * Sec-Fetch-Site where supported); requests with neither come from non-browser
 * clients, which carry no ambient cookies from a victim's browser.
 */
export function isForeignRequest(
  method: string,
  headers: { origin?: string; secFetchSite?: string },
  ownOrigins: readonly string[],
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (headers.secFetchSite && headers.secFetchSite !== "same-origin" && headers.secFetchSite !== "none") return true;
  if (headers.origin === undefined) return false;
  return !ownOrigins.includes(headers.origin);
}

export function refuseForeignOrigin({ appUrl }: { appUrl?: string }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const own = [`${req.protocol}://${req.get("host")}`];
    if (appUrl) own.push(new URL(appUrl).origin);
    const foreign = isForeignRequest(req.method, { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") }, own);
    if (!foreign) return next();
    res
      .status(403)
      .type("application/json")
      .send(JSON.stringify({ error: "Cross-site request refused" }));
  };
}

/** Methods the app answers; TRACE, TRACK, CONNECT and anything unknown get 405. */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST_PATTERN = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*\\.?|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?$`);

/** A Host (or X-Forwarded-Host) value: a DNS name or IP literal, optionally with a port. */
export function isValidHost(value: string | undefined): value is string {
  if (!value || value.length > 261 || !HOST_PATTERN.test(value)) return false;
  const port = value.match(/:(\d+)$/)?.[1];
  return port === undefined || value.endsWith("]") || Number(port) <= 65535;
}

export type Refusal = { status: 400 | 405; error: string; allow?: string };

/**
 * Requests the app cannot turn into a URL or should never answer, refused
 * before anything else runs (they used to reach Remix and end in a 500).
 * X-Forwarded-* count only when the proxy is trusted.
 */
export function refusalFor(input: {
  method: string;
  url: string;
  host: string | undefined;
  forwardedHost?: string;
  forwardedProto?: string;
}): Refusal | null {
  if (!(ALLOWED_METHODS as readonly string[]).includes(input.method)) {
    return { status: 405, error: `Method ${input.method} is not allowed`, allow: ALLOWED_METHODS.join(", ") };
  }
  if (!input.url.startsWith("/") || input.url.startsWith("//")) return { status: 400, error: "Bad request target" };
  if (!isValidHost(input.host)) return { status: 400, error: "Missing or invalid Host header" };
  if (input.forwardedHost !== undefined && !isValidHost(firstOf(input.forwardedHost))) {
    return { status: 400, error: "Invalid X-Forwarded-Host header" };
  }
  if (input.forwardedProto !== undefined && !["http", "https"].includes(firstOf(input.forwardedProto).toLowerCase())) {
    return { status: 400, error: "Invalid X-Forwarded-Proto header" };
  }
  return null;
}

function firstOf(list: string): string {
  return (list.split(",")[0] ?? "").trim();
}

/**
 * Refuses malformed requests (see refusalFor) with a JSON error. Without a
 * trusted proxy, X-Forwarded-Host/-Proto are dropped, so nothing later can read
 * them; with one, only the nearest value is kept.
 */
export function refuseMalformed({ trustsProxy }: { trustsProxy: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const forwardedHost = trustsProxy ? req.get("x-forwarded-host") : undefined;
    const forwardedProto = trustsProxy ? req.get("x-forwarded-proto") : undefined;
    const refusal = refusalFor({ method: req.method, url: req.url, host: req.get("host"), forwardedHost, forwardedProto });
    if (refusal) {
      if (refusal.allow) res.setHeader("Allow", refusal.allow);
      res
        .status(refusal.status)
        .type("application/json")
        .send(JSON.stringify({ error: refusal.error }));
      return;
    }
    if (!trustsProxy) {
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
    } else if (forwardedHost !== undefined) {
      req.headers["x-forwarded-host"] = firstOf(forwardedHost);
    }
    next();
  };
}

function carriesSession(cookieHeader: string | undefined, setCookie: unknown, name: string): boolean {
  const sent = (cookieHeader ?? "").split(";").some((part) => {
    const [key, value] = part.split("=", 2);
    return key?.trim() === name && Boolean(value?.trim());
  });
  if (sent) return true;
  const set = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : [];
  return set.some((c) => String(c).startsWith(`${name}=`));
}

/**
 * `Cache-Control: private, no-store` on every response to a request that
 * carries a session cookie (or that sets one): pages, data requests and
 * downloads alike, so no shared or browser cache keeps a signed-in answer.
 * Mounted after the static files, which stay cacheable.
 */
export function noStoreForSessions({ cookieName }: { cookieName: string }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<typeof writeHead>) {
      if (!this.headersSent && carriesSession(req.headers.cookie, this.getHeader("set-cookie"), cookieName)) {
        this.setHeader("Cache-Control", "private, no-store");
      }
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}
