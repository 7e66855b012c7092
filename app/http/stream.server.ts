import type { AppLoadContext } from "@remix-run/node";

/**
 * A response body from a generator of authenticated plaintext (a recording, a case-study document): read only
 * when the client has taken the last chunk (backpressure, see AppLoadContext.responseDrained), stopped when the
 * client goes away, and errored — so the transfer breaks off short of its Content-Length — if a later chunk fails
 * to authenticate. The caller reads the first chunk itself before answering, so a damaged file gets an error
 * status rather than a 200 that breaks off before its first byte; pass it as `first`.
 */
export function authenticatedBody(
  body: AsyncGenerator<Buffer>,
  first: IteratorResult<Buffer>,
  options: { request: Request; context: AppLoadContext; onError: (error: unknown) => void },
): ReadableStream<Uint8Array> {
  let pending: Buffer | null = first.done ? null : first.value;
  return new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        try {
          if (pending) {
            const chunk = pending;
            pending = null;
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            return;
          }
          // Backpressure: read the next chunk only when the client has taken the last one (see AppLoadContext).
          await options.context.responseDrained?.();
          // A client that goes away (a player that seeks abandons its request): stop reading and decrypting the rest.
          if (options.request.signal.aborted) {
            await body.return(undefined);
            controller.close();
            return;
          }
          const next = await body.next();
          if (next.done) controller.close();
          else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        } catch (error) {
          // Mid-stream: the status is sent. Erroring the stream aborts the transfer (short of Content-Length), so the
          // client sees a broken download, never bytes that did not authenticate.
          options.onError(error);
          controller.error(error);
        }
      },
      cancel: async () => {
        await body.return(undefined);
      },
    },
    // Pull only when the reader asks: nothing is read ahead of the writer.
    { highWaterMark: 0 },
  );
}
