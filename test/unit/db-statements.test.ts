import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { reuseStatements } from "#app/db-statements.server";

// The adapter's calls, as @prisma/adapter-better-sqlite3 6.19 makes them.
type Adapterish = { prepare(sql: string): { bind(a: unknown[]): Stmt } };
type Stmt = { reader: boolean; run(): { changes: number }; columns(): { name: string }[]; raw(): { all(): unknown[][] } };

describe("prepared statement reuse (better-sqlite3)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-stmt-"));
  const db = new Database(path.join(dir, "t.db"));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let compiled = 0;
  const original = db.prepare.bind(db);
  (db as { prepare: unknown }).prepare = (sql: string) => {
    compiled++;
    return original(sql);
  };
  const cache = reuseStatements(db, 3);
  const conn = db as unknown as Adapterish;
  conn.prepare("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)").bind([]).run();

  it("compiles each SQL text once and binds fresh arguments on every use", () => {
    const before = compiled;
    for (const [id, name] of [
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ] as const) {
      expect(conn.prepare("INSERT INTO t (id, name) VALUES (?, ?)").bind([id, name]).run().changes).toBe(1);
    }
    const select = "SELECT id, name FROM t WHERE id = ?";
    const rows = [1, 2, 3].map((id) => {
      const s = conn.prepare(select).bind([id]);
      expect(s.reader).toBe(true);
      expect(s.columns().map((c) => c.name)).toEqual(["id", "name"]);
      return s.raw().all();
    });
    expect(rows).toEqual([[[1, "a"]], [[2, "b"]], [[3, "c"]]]);
    expect(compiled - before).toBe(2);
  });

  it("still reports constraint errors, and the statement keeps working afterwards", () => {
    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    expect(() => conn.prepare(insert).bind([4, "a"]).run()).toThrow(/UNIQUE/);
    expect(conn.prepare(insert).bind([4, "d"]).run().changes).toBe(1);
  });

  it("keeps only the most recently used statements", () => {
    for (let i = 0; i < 10; i++) conn.prepare(`SELECT ${i}`).bind([]).raw().all();
    expect(cache.size()).toBe(3);
    const before = compiled;
    conn.prepare("SELECT 9").bind([]).raw().all(); // still cached
    conn.prepare("SELECT 0").bind([]).raw().all(); // evicted long ago
    expect(compiled - before).toBe(1);
  });
});
