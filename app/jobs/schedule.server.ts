/**
 * Background work inside the server, on a timer: the recording purge
 * (app/recordings/purge.server.ts) and the certificates' daily job
 * (app/certificates/jobs.server.ts). Started through the build entry by
 * server/index.ts and stopped by its shutdown.
 */

/** setInterval's longest delay (about 24.8 days); a longer one would fire at once, again and again. */
const MAX_DELAY = 2 ** 31 - 1;

export type Schedule = { stop(): Promise<void> };

/**
 * Runs `run` every `intervalMs` (never two at once: a run still going when the
 * next is due makes that one skip), the first one `firstAfterMs` after start
 * (default: one interval). The timers are unref'd (they never keep the process
 * alive); `done` hears each result and `failed` each error, and the timer goes
 * on. `stop` clears the timers and waits for a run in progress.
 */
export function scheduleRuns<T>(options: {
  intervalMs: number;
  firstAfterMs?: number;
  run: () => Promise<T>;
  done: (result: T) => void;
  failed: (error: unknown) => void;
}): Schedule {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = options
      .run()
      .then(options.done, options.failed)
      .finally(() => {
        running = null;
      });
  };
  const clamp = (ms: number) => Math.min(Math.max(1, ms), MAX_DELAY);
  const timer = setInterval(tick, clamp(options.intervalMs));
  timer.unref();
  const first = options.firstAfterMs === undefined ? null : setTimeout(tick, clamp(options.firstAfterMs));
  first?.unref();
  return {
    async stop() {
      clearInterval(timer);
      if (first) clearTimeout(first);
      await running;
    },
  };
}
