// The tus locker for several instances (app/recordings/pg-locker.server.ts) on a real PostgreSQL database: two
// lockers with pools of their own (separate database sessions, as two app processes have) exclude each other per
// upload id, and a waiting request asks the holder to let go. PostgreSQL only (SQLite is one instance).
import { ERRORS } from "@tus/utils";
import { afterAll, describe, expect, inject, it } from "vitest";
import { PgAdvisoryLocker } from "#app/recordings/pg-locker.server";

const onPostgres = inject("dbKind") === "postgresql";

describe.skipIf(!onPostgres)("PgAdvisoryLocker across database sessions", () => {
  const lockers: PgAdvisoryLocker[] = [];
  const locker = () => {
    const l = new PgAdvisoryLocker(process.env.DATABASE_URL as string);
    lockers.push(l);
    return l;
  };
  afterAll(async () => {
    await Promise.all(lockers.map((l) => l.close()));
  });
  const within = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("the second request waits until the first unlocks, and its wait makes the holder's cancel callback fire", async () => {
    const [a, b] = [locker(), locker()];
    const id = `upload-${Math.random().toString(36).slice(2)}`;
    const holder = a.newLock(id);
    let asked!: () => void;
    const cancelled = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let cancels = 0;
    await holder.lock(new AbortController().signal, async () => {
      cancels += 1;
      asked();
    });

    const waiter = b.newLock(id);
    let acquired = false;
    const waiting = waiter
      .lock(new AbortController().signal, async () => {})
      .then(() => {
        acquired = true;
      });
    await within(cancelled, 5000, "the holder's cancel callback");
    expect(cancels).toBe(1);
    await pause(300);
    expect(acquired).toBe(false);

    // Another upload is not held up by this one.
    const other = b.newLock(`${id}-other`);
    await within(
      other.lock(new AbortController().signal, async () => {}),
      2000,
      "another id",
    );
    await other.unlock();

    await holder.unlock();
    await within(waiting, 2000, "the waiter after unlock");
    expect(acquired).toBe(true);
    await waiter.unlock();
    // Unlocked for good: the first locker can take it again at once.
    const again = a.newLock(id);
    await within(
      again.lock(new AbortController().signal, async () => {}),
      2000,
      "relock",
    );
    await again.unlock();
  });

  it("a waiting request whose own request is cancelled gives up with a lock timeout", async () => {
    const [a, b] = [locker(), locker()];
    const id = `upload-${Math.random().toString(36).slice(2)}`;
    const holder = a.newLock(id);
    await holder.lock(new AbortController().signal, async () => {});
    const aborted = new AbortController();
    const waiting = b.newLock(id).lock(aborted.signal, async () => {});
    await pause(150);
    aborted.abort();
    await expect(within(waiting, 2000, "the aborted waiter")).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    await holder.unlock();
  });
});
