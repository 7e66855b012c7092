/**
 * A tus Locker for several app instances on one PostgreSQL database (the
 * stock MemoryLocker only locks within one process). Each lock is a
 * session-level advisory lock held on a dedicated connection for the length of
 * the request. A request that finds the lock taken asks the holder to let go
 * (NOTIFY; the holder LISTENs and cancels its request, as tus expects) and
 * retries until its own request is cancelled or the drain time runs out.
 */
import { createHash } from "node:crypto";
import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/utils";
import pg from "pg";

const CHANNEL = "attune_upload_locks";
const RETRY_MS = 50;
const GIVE_UP_MS = 30_000;

/** Two signed 32-bit keys from the upload id (advisory locks take a pair of int4). */
export function lockKeys(id: string): [number, number] {
  const digest = createHash("sha256").update(`tus:${id}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

function poolConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1)),
    max: 20,
  };
}

function logConnectionError(error: Error): void {
  console.error(JSON.stringify({ level: "error", msg: "upload lock connection failed", error: String(error) }));
}

export class PgAdvisoryLocker implements Locker {
  readonly pool: pg.Pool;
  constructor(url: string) {
    this.pool = new pg.Pool(poolConfig(url));
    // An idle connection that dies (a database restart) is dropped by the pool; unheard, its error would end the process.
    this.pool.on("error", logConnectionError);
  }
  newLock(id: string): Lock {
    return new PgAdvisoryLock(this.pool, id);
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}

class PgAdvisoryLock implements Lock {
  #client: pg.PoolClient | undefined;
  constructor(
    private readonly pool: pg.Pool,
    private readonly id: string,
  ) {}

  async lock(signal: AbortSignal, cancelReq: RequestRelease): Promise<void> {
    const [k1, k2] = lockKeys(this.id);
    const client = await this.pool.connect();
    // While checked out, a connection's error is the client's (not the pool's): heard here, it fails the next query.
    client.on("error", logConnectionError);
    const started = Date.now();
    let asked = false;
    try {
      for (;;) {
        const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [k1, k2]);
        if (rows[0]?.ok) break;
        if (!asked) {
          await client.query("SELECT pg_notify($1, $2)", [CHANNEL, this.id]);
          asked = true;
        }
        if (signal.aborted || Date.now() - started > GIVE_UP_MS) throw ERRORS.ERR_LOCK_TIMEOUT;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
      client.on("notification", (message) => {
        if (message.channel === CHANNEL && message.payload === this.id) void cancelReq();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      this.#client = client;
    } catch (error) {
      client.removeListener("error", logConnectionError);
      client.release();
      throw error;
    }
  }

  async unlock(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    const [k1, k2] = lockKeys(this.id);
    try {
      await client.query(`UNLISTEN ${CHANNEL}`);
      await client.query("SELECT pg_advisory_unlock($1, $2)", [k1, k2]);
      client.removeAllListeners("notification");
      client.removeListener("error", logConnectionError);
      client.release();
    } catch (error) {
      client.removeAllListeners("notification");
      client.removeListener("error", logConnectionError);
      client.release(error instanceof Error ? error : true);
    }
  }
}
