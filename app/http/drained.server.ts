import type { ServerResponse } from "node:http";

/**
 * Resolves when `res` can take more bytes: now, or on its next "drain" (or "close", so a client that went away
 * never leaves a writer waiting). Streaming writers wait on it between chunks: the media endpoint directly, Remix
 * loaders through AppLoadContext.responseDrained (server/app.ts).
 */
export function drained(res: ServerResponse): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
