// Prisma CLI configuration for the embedded SQLite database (the default).
// PostgreSQL uses prisma.config.pg.ts. See docs/decisions/0001-database.md.
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/attune.db";

// Workaround (Prisma 6.19.3): the JS schema engine replays each migration.sql
// into the SQLite shadow database through executeRaw(), i.e. better-sqlite3's
// prepare(), which rejects multi-statement SQL (P3006 "External error id#0").
// Route argument-less executeRaw on the *shadow* connection through
// executeScript() (db.exec). Needed for `migrate diff --from-migrations`.
function sqliteAdapter(databaseUrl: string) {
  const factory = new PrismaBetterSQLite3({ url: databaseUrl });
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connectToShadowDb = async () => {
    const shadow = await connectToShadowDb();
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await shadow.executeScript(query.sql);
      return 0;
    };
    return shadow;
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => sqliteAdapter(url),
});
