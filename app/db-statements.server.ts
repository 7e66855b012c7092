import type BetterSqlite3 from "better-sqlite3";

/**
 * What Prisma's better-sqlite3 adapter (6.19) does with a prepared statement:
 * `db.prepare(sql).bind(args)`, then `.run()`, or `.reader` / `.columns()` / `.raw().all()`.
 */
type AdapterStatement = {
  readonly reader: boolean;
  bind(args: unknown[]): AdapterStatement;
  run(): BetterSqlite3.RunResult;
  columns(): BetterSqlite3.ColumnDefinition[];
  raw(): { all(): unknown[] };
};

/**
 * Makes a better-sqlite3 connection reuse its prepared statements: `prepare(sql)` compiles each SQL text once
 * and keeps it (the `max` most recently used texts; Prisma's `IN (?, ?, …)` lists vary in length), where the
 * adapter compiled every statement of every query afresh (ADR 0024, docs/benchmarks.md).
 *
 * better-sqlite3 binds a statement's parameters only once for good (`bind`), so the adapter gets a light view
 * that holds the arguments and passes them to each call instead. Safe because every call runs to completion
 * synchronously (the adapter never iterates), so no cached statement is ever in use twice at once; a statement
 * SQLite has to recompile after a schema change is recompiled by SQLite itself.
 */
export function reuseStatements(db: BetterSqlite3.Database, max = 500): { size: () => number } {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, BetterSqlite3.Statement>();
  const compiled = (sql: string): BetterSqlite3.Statement => {
    const hit = cache.get(sql);
    if (hit) {
      cache.delete(sql); // most recently used last
      cache.set(sql, hit);
      return hit;
    }
    const statement = prepare(sql);
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(sql, statement);
    return statement;
  };
  const view = (statement: BetterSqlite3.Statement, args: unknown[]): AdapterStatement => ({
    reader: statement.reader,
    bind: (next) => view(statement, next),
    run: () => statement.run(args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(args) }),
  });
  (db as { prepare: (sql: string) => AdapterStatement }).prepare = (sql) => view(compiled(sql), []);
  return { size: () => cache.size };
}
