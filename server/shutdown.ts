import type { Server } from "node:http";

/**
 * Graceful stop: refuse new connections, let in-flight requests finish (idle
 * keep-alive sockets are closed at once), force-close whatever is left after
 * `graceMs`, then run `cleanup` (close the database).
 */
export function gracefulShutdown(server: Server, { graceMs, cleanup }: { graceMs: number; cleanup: () => Promise<void> }) {
  let stopping: Promise<void> | undefined;
  return function stop(): Promise<void> {
    stopping ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        cleanup().finally(resolve);
      });
      server.closeIdleConnections();
    });
    return stopping;
  };
}
