import type { DbTx } from "#app/db.server";

/** One round-trip to the database (`SELECT 1`); rejects when it does not answer within `timeoutMs`. */
export async function pingDatabase(db: DbTx, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database timeout")), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
