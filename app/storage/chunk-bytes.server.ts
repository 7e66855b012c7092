/**
 * The bytes of the database store's chunks, moved by the database driver
 * itself rather than Prisma (ADR 0022): Prisma 6's JS engine converts every
 * Bytes value (base64 strings both ways), which held the store to a few MiB/s
 * and hundreds of MiB of transient memory. Only RecordingChunk's bytes go
 * this way, in named, parameterised statements; the header, manifest, status,
 * listing and deletion stay on Prisma (db-blob-store.server.ts).
 *
 * SQLite: a second better-sqlite3 connection to the same file (WAL, the same
 * 5 s busy timeout as app/db.server.ts). PostgreSQL: a small pg pool of its own.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";

export type ChunkWrite = "written" | "finalized" | "missing";

export interface ChunkBytes {
  /**
   * In one transaction: touches the recording's blob row only while it is incomplete, then stores chunk `index`
   * (replacing an earlier write). "finalized" / "missing" when the blob is complete / absent (nothing written).
   */
  write(recordingId: string, index: number, bytes: Uint8Array): Promise<ChunkWrite>;
  /** Chunks from `from` (inclusive) to `to` (exclusive) that exist, in order, at most `limit` of them. */
  read(recordingId: string, from: number, to: number, limit: number): Promise<{ index: number; data: Buffer }[]>;
}

/** Prisma's text form of a DateTime on SQLite (ISO 8601 with "+00:00"). */
const sqliteNow = () => new Date().toISOString().replace("Z", "+00:00");

class SqliteChunkBytes implements ChunkBytes {
  readonly #db: BetterSqlite3.Database;
  readonly #touch: BetterSqlite3.Statement;
  readonly #exists: BetterSqlite3.Statement;
  readonly #upsert: BetterSqlite3.Statement;
  readonly #select: BetterSqlite3.Statement;
  readonly #write: (recordingId: string, index: number, bytes: Buffer) => ChunkWrite;

  constructor(file: string) {
    this.#db = new BetterSqlite3(file, { fileMustExist: true, timeout: 5000 });
    this.#touch = this.#db.prepare(`UPDATE "RecordingBlob" SET "updatedAt" = ? WHERE "recordingId" = ? AND "manifest" IS NULL`);
    this.#exists = this.#db.prepare(`SELECT 1 FROM "RecordingBlob" WHERE "recordingId" = ?`);
    this.#upsert = this.#db.prepare(
      `INSERT INTO "RecordingChunk" ("recordingId", "index", "data") VALUES (?, ?, ?)
       ON CONFLICT ("recordingId", "index") DO UPDATE SET "data" = excluded."data"`,
    );
    this.#select = this.#db.prepare(
      `SELECT "index", "data" FROM "RecordingChunk" WHERE "recordingId" = ? AND "index" >= ? AND "index" < ? ORDER BY "index" LIMIT ?`,
    );
    const write = this.#db.transaction((recordingId: string, index: number, bytes: Buffer): ChunkWrite => {
      if (this.#touch.run(sqliteNow(), recordingId).changes === 0) return this.#exists.get(recordingId) ? "finalized" : "missing";
      this.#upsert.run(recordingId, index, bytes);
      return "written";
    });
    // BEGIN IMMEDIATE: take the write lock first, so a busy database waits (busy timeout) instead of failing midway.
    this.#write = (recordingId, index, bytes) => write.immediate(recordingId, index, bytes);
  }

  async write(recordingId: string, index: number, bytes: Uint8Array): Promise<ChunkWrite> {
    return this.#write(recordingId, index, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  async read(recordingId: string, from: number, to: number, limit: number) {
    return this.#select.all(recordingId, from, to, limit) as { index: number; data: Buffer }[];
  }
}

class PgChunkBytes implements ChunkBytes {
  readonly #pool: pg.Pool;

  constructor(url: string) {
    const u = new URL(url);
    this.#pool = new pg.Pool({
      host: u.hostname,
      port: u.port ? Number(u.port) : 5432,
      user: decodeURIComponent(u.username),
      password: u.password ? decodeURIComponent(u.password) : undefined,
      database: decodeURIComponent(u.pathname.slice(1)),
      max: 4,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    this.#pool.on("error", (error) => {
      console.error(JSON.stringify({ level: "error", msg: "recording chunk connection failed", error: String(error) }));
    });
  }

  async write(recordingId: string, index: number, bytes: Uint8Array): Promise<ChunkWrite> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      // The condition is checked and the row locked in one statement: a finalize landing between two writes can
      // never be undone by the later one, and no chunk joins a finalized recording.
      const touched = await client.query({
        name: "chunk-touch",
        text: `UPDATE "RecordingBlob" SET "updatedAt" = (now() AT TIME ZONE 'UTC') WHERE "recordingId" = $1 AND "manifest" IS NULL`,
        values: [recordingId],
      });
      if (touched.rowCount === 0) {
        const found = await client.query({
          name: "chunk-exists",
          text: `SELECT 1 FROM "RecordingBlob" WHERE "recordingId" = $1`,
          values: [recordingId],
        });
        await client.query("ROLLBACK");
        return found.rowCount ? "finalized" : "missing";
      }
      await client.query({
        name: "chunk-upsert",
        text: `INSERT INTO "RecordingChunk" ("recordingId", "index", "data") VALUES ($1, $2, $3)
               ON CONFLICT ("recordingId", "index") DO UPDATE SET "data" = EXCLUDED."data"`,
        values: [recordingId, index, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
      });
      await client.query("COMMIT");
      return "written";
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async read(recordingId: string, from: number, to: number, limit: number) {
    const result = await this.#pool.query<{ index: number; data: Buffer }>({
      name: "chunk-select",
      text: `SELECT "index", "data" FROM "RecordingChunk" WHERE "recordingId" = $1 AND "index" >= $2 AND "index" < $3 ORDER BY "index" LIMIT $4`,
      values: [recordingId, from, to, limit],
    });
    return result.rows;
  }
}

const made = new Map<string, ChunkBytes>();

/** The chunk-bytes driver for a DATABASE_URL (`file:` → SQLite, else PostgreSQL), one per URL per process. */
export function chunkBytesFor(url: string): ChunkBytes {
  let bytes = made.get(url);
  if (!bytes) {
    bytes = url.startsWith("file:") ? new SqliteChunkBytes(url.slice("file:".length).split("?")[0] ?? "") : new PgChunkBytes(url);
    made.set(url, bytes);
  }
  return bytes;
}
