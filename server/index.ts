// Attune's HTTP server: `npm start` (production build) and `npm run dev` (Vite).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { type Env, EnvError, env, publicBaseUrl } from "#app/env.server";
import { createApp } from "#server/app";
import { gracefulShutdown } from "#server/shutdown";
import { acquireSqliteLock, SqliteLockError } from "#server/sqlite-lock";

function settingsOrExit(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const settings = settingsOrExit();
const dev = settings.NODE_ENV === "development";
// The development server reloads the course when content/ changes (app/content.server/curriculum.server.ts). Only the
// server: a script (the seed, content:check) that read the course would otherwise never exit.
if (dev) globalThis.__attuneWatchContent = true;

function lockOrExit() {
  try {
    return acquireSqliteLock(settings.DATABASE_URL);
  } catch (error) {
    if (error instanceof SqliteLockError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

lockOrExit();
let boundPort = settings.PORT;

/** What server/index.ts uses of the build's entry (app/entry.server.tsx). */
type EntryWithShutdown = {
  shutdown?: () => Promise<void>;
  startPurgeTimer?: () => boolean;
  startCertificateTimer?: () => boolean;
  checkCredentialKeys?: () => Promise<void>;
};

async function start() {
  let build: ServerBuild | (() => Promise<ServerBuild>);
  let loadBuild: () => Promise<ServerBuild>;
  let vite: import("vite").ViteDevServer | undefined;
  if (dev) {
    const { createServer } = await import("vite");
    const devServer = await createServer({ server: { middlewareMode: true } });
    vite = devServer;
    loadBuild = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    build = loadBuild;
  } else {
    const loaded = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
    loadBuild = async () => loaded;
    build = loaded;
  }

  // Credential signing keys must be there before anything is served (production refuses to start without them).
  try {
    await ((await loadBuild()).entry.module as EntryWithShutdown).checkCredentialKeys?.();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }

  const app = createApp({
    build,
    vite,
    trustProxy: settings.TRUST_PROXY,
    appUrl: settings.APP_URL,
    baseUrl: () => publicBaseUrl(settings, boundPort),
    logRequests: settings.LOG_REQUESTS,
    mode: dev ? "development" : "production",
    serverTiming: settings.SERVER_TIMING,
  });

  const server = app.listen(settings.PORT, settings.HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.PORT;
    boundPort = port;
    const host = settings.HOST.includes(":") ? `[${settings.HOST}]` : settings.HOST;
    const shown = host === "127.0.0.1" ? "localhost" : host;
    console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "listening", url: `http://${shown}:${port}`, port }));
    if (!dev && !settings.APP_URL) {
      // Certificates' QR codes and signed credentials carry the base URL for good: on a real deployment it must be
      // the public one (README, "Settings"; docs/credentials.md).
      console.log(
        JSON.stringify({
          time: new Date().toISOString(),
          level: "warn",
          msg: "APP_URL is not set: absolute links, certificate QR codes and signed credentials will name http://localhost; set APP_URL to the public address",
          baseUrl: publicBaseUrl(settings, port),
        }),
      );
    }
  });
  server.keepAliveTimeout = 65_000;
  // Recording purge every PURGE_INTERVAL_MINUTES (unref'd; stopped by the entry's shutdown).
  const entry = (await loadBuild()).entry.module as EntryWithShutdown;
  entry.startPurgeTimer?.();
  // The certificates' daily job: expiries and 60-day notices (CERTIFICATE_JOB_INTERVAL_HOURS).
  entry.startCertificateTimer?.();

  const stop = gracefulShutdown(server, {
    graceMs: settings.SHUTDOWN_GRACE_MS,
    cleanup: async () => {
      const entry = (await loadBuild()).entry.module as EntryWithShutdown;
      await entry.shutdown?.();
      await vite?.close();
    },
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "shutting down", signal }));
      stop().then(() => {
        console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "stopped" }));
        process.exit(0);
      });
    });
  }
}

start().catch((error) => {
  console.error(error);
  process.exit(1);
});
