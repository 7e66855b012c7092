import { AsyncLocalStorage } from "node:async_hooks";

declare global {
  var __attuneQueryCount: AsyncLocalStorage<{ queries: number }> | undefined;
}

/**
 * Counts database operations per request (app/db.server.ts increments it).
 * Kept on globalThis so that the server (server/app.ts, which reports it in a
 * Server-Timing header when asked) and the app build share one store.
 */
export function queryCounter(): AsyncLocalStorage<{ queries: number }> {
  globalThis.__attuneQueryCount ??= new AsyncLocalStorage();
  return globalThis.__attuneQueryCount;
}

export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const store = { queries: 0 };
  const result = await queryCounter().run(store, work);
  return { result, queries: store.queries };
}
