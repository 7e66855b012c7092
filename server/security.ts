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

/** Sets the security headers and a per-request CSP nonce (res.locals.cspNonce). */
export function securityHeaders({ dev }: { dev: boolean }) {
  return (_req: Request, res: Response, next: NextFunction) => {
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
