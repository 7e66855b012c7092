/**
 * Mail that must not hold up the response: the work (look-ups, a token, the
 * SMTP round trip) runs after the caller has answered, so how long a request
 * takes says nothing about what was sent. In-process and best effort: the
 * queue is drained on shutdown (app/entry.server.tsx) and a failure is logged.
 */
const pending = new Set<Promise<void>>();

export function sendLater(work: () => Promise<unknown>): void {
  const job: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .then(
      () => undefined,
      (error: unknown) => {
        console.error(JSON.stringify({ level: "error", msg: "queued mail failed", error: String(error) }));
      },
    )
    .finally(() => pending.delete(job));
  pending.add(job);
}

/** Resolves once every queued job (including ones queued meanwhile) has finished. */
export async function outboxIdle(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}
