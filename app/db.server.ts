import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import BetterSqlite3 from "better-sqlite3";
import { queryCounter } from "#app/db-metrics.server";
import { reuseStatements } from "#app/db-statements.server";
import { env } from "#app/env.server";
import { PrismaClient } from "#app/generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "#app/generated/prisma-pg/client";

export type Db = PrismaClient;
/** A client or an interactive-transaction client: what model functions take. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * Creates a Prisma client for DATABASE_URL: `file:` → SQLite, `postgresql://`
 * → PostgreSQL. SQLite runs in WAL mode (a property of the file, set by
 * scripts/db-deploy.mjs) with a 5 s busy timeout; better-sqlite3 enforces
 * foreign keys by default. Both generated clients share one API
 * for the schema's common subset, so the PostgreSQL one is typed as the SQLite
 * one. See docs/decisions/0001-database.md.
 */
export function createPrisma(url: string): Db {
  if (url.startsWith("file:")) {
    return counted(new PrismaClient({ adapter: sqliteAdapter(url) }));
  }
  const u = new URL(url);
  const adapter = new PrismaPg({
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1)),
    max: Number(u.searchParams.get("connection_limit") ?? 10),
    connectionTimeoutMillis: 5000,
  });
  return counted(new PgPrismaClient({ adapter }) as unknown as Db);
}

/** The better-sqlite3 adapter, its connection reusing prepared statements (app/db-statements.server.ts). */
function sqliteAdapter(url: string): PrismaBetterSQLite3 {
  const factory = new PrismaBetterSQLite3({ url, timeout: 5000 });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // The adapter keeps its connection as `client` (6.19); without it, statements are simply not reused.
    const client = (adapter as unknown as { client?: BetterSqlite3.Database }).client;
    if (client && typeof client.prepare === "function") reuseStatements(client);
    return adapter;
  };
  return factory;
}

function counted(client: Db): Db {
  const counter = queryCounter();
  return client.$extends({
    query: {
      async $allOperations({ args, query }) {
        const store = counter.getStore();
        if (store) store.queries++;
        return query(args);
      },
    },
  }) as unknown as Db;
}

declare global {
  var __attuneDb: { url: string; client: Db; reader?: SqliteReader } | undefined;
}

type SqliteReader = { db: BetterSqlite3.Database; statements: Map<string, BetterSqlite3.Statement> };

/** The process-wide client (one per DATABASE_URL). */
export function getDb(): Db {
  const url = env().DATABASE_URL;
  if (globalThis.__attuneDb?.url !== url) {
    globalThis.__attuneDb?.reader?.db.close();
    const client = createPrisma(url);
    globalThis.__attuneDb = { url, client };
  }
  return globalThis.__attuneDb.client;
}

/**
 * On SQLite, runs one read-only statement on a second, read-only better-sqlite3 connection to the process-wide
 * database, bypassing Prisma: for the hottest reads (the session lookup every signed-in request makes, the module
 * page's reader state), where Prisma's per-query work cost ~0.5–1 ms of CPU and the statement itself ~0.01 ms (docs/benchmarks.md, ADR 0024). Counted as a
 * query like any other. Each statement reads what is committed when it runs (WAL), so a sign-out or a
 * deactivation is seen by the next request. Returns undefined on PostgreSQL: use the Prisma client there.
 * Values come back as SQLite stores them (DateTime as ISO text, enums as text).
 */
export function sqliteRead<T>(sql: string, params: readonly unknown[]): T[] | undefined {
  const url = env().DATABASE_URL;
  if (!url.startsWith("file:")) return undefined;
  getDb();
  const current = globalThis.__attuneDb;
  if (!current) return undefined;
  current.reader ??= {
    db: new BetterSqlite3(url.slice("file:".length).split("?")[0] ?? "", { readonly: true, fileMustExist: true, timeout: 5000 }),
    statements: new Map(),
  };
  const { db, statements } = current.reader;
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (!statement.reader) throw new Error("sqliteRead is for reads only");
    if (statements.size >= 50) statements.clear();
    statements.set(sql, statement);
  }
  const store = queryCounter().getStore();
  if (store) store.queries++;
  return statement.all(...params) as T[];
}

export async function disconnectDb() {
  const current = globalThis.__attuneDb;
  globalThis.__attuneDb = undefined;
  current?.reader?.db.close();
  await current?.client.$disconnect();
}
