// Fails (exit 2) when either migrations folder drifts from the schema.
// SQLite needs no server; PostgreSQL needs one for its shadow database
// (DATABASE_URL_PG, default postgresql://postgres@127.0.0.1:5432/postgres).
import { execFileSync } from "node:child_process";
import { prismaBin, scratchSqliteUrl } from "./prisma-cli.mjs";

execFileSync("node", ["scripts/gen-pg-schema.mjs"], { stdio: "inherit" });
const checks = [
  // The SQLite CLI opens DATABASE_URL even for a diff: point it at a throwaway file.
  {
    name: "sqlite",
    config: "prisma.config.ts",
    schema: "prisma/schema.prisma",
    migrations: "prisma/migrations",
    env: { DATABASE_URL: scratchSqliteUrl() },
  },
  {
    name: "postgresql",
    config: "prisma.config.pg.ts",
    schema: "prisma/postgres/schema.prisma",
    migrations: "prisma/postgres/migrations",
    env: { DATABASE_URL: process.env.DATABASE_URL_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
  },
];
let failed = false;
for (const c of checks) {
  try {
    execFileSync(
      prismaBin,
      ["migrate", "diff", "--config", c.config, "--from-migrations", c.migrations, "--to-schema-datamodel", c.schema, "--exit-code"],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...c.env } },
    );
    console.log(`db:check ${c.name}: migrations match the schema`);
  } catch (error) {
    failed = true;
    const status = error.status;
    console.error(
      status === 2
        ? `db:check ${c.name}: ${c.migrations} drifts from ${c.schema}; run \`npm run db:new -- <name>\``
        : `db:check ${c.name}: prisma migrate diff failed (exit ${status}):\n${error.stderr}`,
    );
  }
}
process.exit(failed ? 2 : 0);
