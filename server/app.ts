import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { ViteDevServer } from "vite";
import { SESSION_COOKIE } from "#app/auth/session-cookie";
import { queryCounter } from "#app/db-metrics.server";
import type { TrustProxy } from "#app/env.server";
import { drained } from "#app/http/drained.server";
import { MEDIA_PATH } from "#app/recordings/media-path";
import { requestLogger } from "#server/logging";
import { noStoreForSessions, refuseForeignOrigin, refuseMalformed, securityHeaders } from "#server/security";
import { staticFiles } from "#server/static-files";

/** What the Remix build's entry (app/entry.server.tsx) offers the server besides pages. */
type NodeHandler = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>;
type EntryExtras = { handleUpload?: NodeHandler; handleMedia?: NodeHandler };

export type AppOptions = {
  build: ServerBuild | (() => Promise<ServerBuild>);
  vite?: ViteDevServer;
  /** Which proxies' X-Forwarded-* to believe: none (false), N hops, or their addresses (TRUST_PROXY). */
  trustProxy: TrustProxy;
  appUrl?: string;
  /** The base of absolute links (APP_URL, else http://localhost:<bound port>); handed to loaders and actions. */
  baseUrl: () => string;
  logRequests: boolean;
  mode: "development" | "production";
  /** Add `Server-Timing: db;desc="N queries"` to every response (for benchmarks). */
  serverTiming?: boolean;
};

/**
 * Express's "trust proxy" for TRUST_PROXY: a hop count or a list of addresses
 * (never `true`, which believes the client's left-most X-Forwarded-For).
 */
export function applyTrustProxy(app: express.Express, trust: TrustProxy): void {
  app.set("trust proxy", trust === false ? false : trust);
}

/** A Node handler exported by the build's entry (app/entry.server.tsx), mounted ahead of Remix; next() if it has none. */
function entryHandler(source: AppOptions["build"], name: keyof EntryExtras): express.RequestHandler {
  return (req, res, next) => {
    const build = typeof source === "function" ? source() : Promise.resolve(source);
    build
      .then((b) => {
        const handle = (b.entry.module as EntryExtras)[name];
        if (!handle) return next();
        return handle(req, res);
      })
      .catch(next);
  };
}

/**
 * The HTTP pipeline: log → security headers → malformed-request refusal →
 * origin check → static files (their paths only) → uploads → no-store for sessions → recording media → Remix.
 */
export function createApp(options: AppOptions) {
  const app = express();
  app.disable("x-powered-by");
  applyTrustProxy(app, options.trustProxy);
  if (options.logRequests) app.use(requestLogger());
  app.use(securityHeaders({ dev: options.mode === "development", https: options.appUrl?.startsWith("https:") ?? false }));
  app.use(refuseMalformed({ trustsProxy: options.trustProxy !== false }));
  app.use(refuseForeignOrigin({ appUrl: options.appUrl }));
  // Production: build/client's files, listed once, answered before anything else reads the request.
  if (!options.vite) app.use(staticFiles("build/client"));
  if (options.serverTiming) {
    app.use((_req, res, next) => {
      const store = { queries: 0 };
      const writeHead = res.writeHead;
      res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
        if (!this.headersSent) this.setHeader("Server-Timing", `db;desc="${store.queries} queries"`);
        return writeHead.apply(this, args);
      } as typeof writeHead;
      queryCounter().run(store, next);
    });
  }
  // Resumable recording uploads (tus), before anything reads the body; the gate and tus live in the app build
  // (app/recordings/uploads.server.ts) so they share its database client and settings.
  app.all(/^\/uploads(?:\/|$)/, entryHandler(options.build, "handleUpload"));
  if (options.vite) app.use(options.vite.middlewares);
  app.use(noStoreForSessions({ cookieName: SESSION_COOKIE }));
  // Recording playback (HTTP Range, app/recordings/media.server.ts), also through the build's entry and before Remix:
  // a player sends a request for every seek, and Remix's route matching was most of the cost of one (ADR 0038).
  app.all(MEDIA_PATH, entryHandler(options.build, "handleMedia"));
  app.all(
    "*",
    createRequestHandler({
      build: options.build,
      mode: options.mode,
      getLoadContext: (req, res) => ({
        cspNonce: String(res.locals.cspNonce ?? ""),
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        appUrl: options.baseUrl(),
        responseDrained: () => drained(res),
      }),
    }),
  );
  return app;
}
