// Prisma CLI configuration for PostgreSQL. Every PostgreSQL command passes
// `--config prisma.config.pg.ts`. See docs/decisions/0001-database.md.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

const connectionString = process.env.DATABASE_URL?.startsWith("postgres")
  ? process.env.DATABASE_URL
  : "postgresql://postgres@127.0.0.1:5432/attune";

// Workaround 1 (prisma/prisma#27403, open in 6.19.3): the JS schema engine
// reads catalog columns of type `name` (OID 19) and `"char"` (OID 18), which
// @prisma/adapter-pg cannot deserialize. This file is only loaded by the Prisma
// CLI, so re-tag those columns as text (OID 25) in this process only.
const AS_TEXT = new Set([18, 19]);
type Fields = Array<{ dataTypeID: number }>;
const proto = pg.Result.prototype as unknown as { addFields(this: unknown, f: Fields): void };
const addFields = proto.addFields;
proto.addFields = function (fields) {
  for (const f of fields) if (AS_TEXT.has(f.dataTypeID)) f.dataTypeID = 25;
  return addFields.call(this, fields);
};

function poolConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1)),
  };
}

// Workaround 2 (adapter-pg 6.19.3): connectToShadowDb() builds the shadow pool
// as { ...config, database }, so with a connectionString it silently points at
// the MAIN database, and it drops the shadow database before closing its pool
// (leaking prisma_migrate_shadow_db_* databases). Replace it.
function pgAdapter(url: string) {
  const config = poolConfig(url);
  const factory = new PrismaPg(config);
  factory.connectToShadowDb = async () => {
    const main = await factory.connect();
    const database = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...config, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "postgres", "schema.prisma"),
  migrations: { path: path.join("prisma", "postgres", "migrations") },
  adapter: async () => pgAdapter(connectionString),
});
