import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { stopCertificateTimer } from "#app/certificates/jobs.server";
import { NonceProvider } from "#app/components/nonce";
import { disconnectDb } from "#app/db.server";
import { outboxIdle } from "#app/mail/outbox.server";
import { stopPurgeTimer } from "#app/recordings/purge.server";

export { startCertificateTimer } from "#app/certificates/jobs.server";
export { checkCredentialKeys } from "#app/credentials/keys.server";
export { handleMedia } from "#app/recordings/media.server";
export { startPurgeTimer } from "#app/recordings/purge.server";
export { handleUpload } from "#app/recordings/uploads.server";

const ABORT_DELAY = 5_000;

/**
 * Called by server/index.ts on SIGTERM, after the last request has finished: the purge and certificate timers stop (a run in
 * progress finishes), queued mail goes out, then the database closes.
 */
export async function shutdown(): Promise<void> {
  await stopPurgeTimer();
  await stopCertificateTimer();
  await outboxIdle();
  await disconnectDb();
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  // Bots and no-JS clients get the whole document at once; browsers get it streamed.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Cleared once everything has rendered: a pending timer would keep the whole
    // render (and the response) in memory for ABORT_DELAY after every request.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const respond = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (readyEvent === "onShellReady") respond();
        },
        onAllReady() {
          clearTimeout(timer);
          if (readyEvent === "onAllReady") respond();
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    timer = setTimeout(abort, ABORT_DELAY);
  });
}
