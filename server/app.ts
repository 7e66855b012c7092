import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { ViteDevServer } from "vite";
import { queryCounter } from "#app/db-metrics.server";
import { requestLogger } from "#server/logging";
import { refuseForeignOrigin, securityHeaders } from "#server/security";

export type AppOptions = {
  build: ServerBuild | (() => Promise<ServerBuild>);
  vite?: ViteDevServer;
  trustProxy: boolean;
  appUrl?: string;
  logRequests: boolean;
  mode: "development" | "production";
  /** Add `Server-Timing: db;desc="N queries"` to every response (for benchmarks). */
  serverTiming?: boolean;
};

/** The HTTP pipeline: log → security headers → origin check → static files → Remix. */
export function createApp(options: AppOptions) {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", true);
  if (options.logRequests) app.use(requestLogger());
  app.use(securityHeaders({ dev: options.mode === "development" }));
  app.use(refuseForeignOrigin({ appUrl: options.appUrl }));
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
  if (options.vite) {
    app.use(options.vite.middlewares);
  } else {
    // Fingerprinted by Vite: cache for a year.
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static("build/client", { maxAge: "1h", index: false }));
  }
  app.all(
    "*",
    createRequestHandler({
      build: options.build,
      mode: options.mode,
      getLoadContext: (req, res) => ({
        cspNonce: String(res.locals.cspNonce ?? ""),
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );
  return app;
}
