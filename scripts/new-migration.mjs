// Usage: npm run db:new -- <snake_case_name>
// Creates prisma/migrations/<ts>_<name>/migration.sql (SQLite) and
// prisma/postgres/migrations/<ts>_<name>/migration.sql (PostgreSQL; needs a
// reachable server for the shadow database: DATABASE_URL_PG, default
// postgresql://postgres@127.0.0.1:5432/postgres). Replaces `prisma migrate dev`,
// which is broken for the SQLite adapter in Prisma 6.19.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { prismaBin, scratchSqliteUrl } from "./prisma-cli.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new -- <snake_case_name>");
  process.exit(1);
}
const ts = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

function diff({ config, schema, migrations, env, provider }) {
  // The very first migration starts from an empty database.
  const lock = path.join(migrations, "migration_lock.toml");
  const from = existsSync(lock) ? ["--from-migrations", migrations] : ["--from-empty"];
  const tmp = path.join(mkdtempSync(path.join(tmpdir(), "attune-mig-")), "migration.sql");
  // Written outside the migrations folder: an empty <ts>_<name>/ there makes
  // --from-migrations fail with P3015.
  execFileSync(prismaBin, ["migrate", "diff", "--config", config, ...from, "--to-schema-datamodel", schema, "--script", "-o", tmp], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
  });
  const sql = readFileSync(tmp, "utf8");
  rmSync(path.dirname(tmp), { recursive: true, force: true });
  if (!/^\s*(CREATE|ALTER|DROP|INSERT|PRAGMA|UPDATE|DELETE)/im.test(sql)) {
    console.log(`${migrations}: no changes`);
    return;
  }
  const dir = path.join(migrations, `${ts}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  if (!existsSync(lock)) writeFileSync(lock, `# Written by scripts/new-migration.mjs\nprovider = "${provider}"\n`);
  console.log(`created ${dir}/migration.sql`);
}

execFileSync("node", ["scripts/gen-pg-schema.mjs"], { stdio: "inherit" });
diff({
  config: "prisma.config.ts",
  schema: "prisma/schema.prisma",
  migrations: "prisma/migrations",
  env: { DATABASE_URL: scratchSqliteUrl() },
  provider: "sqlite",
});
diff({
  config: "prisma.config.pg.ts",
  schema: "prisma/postgres/schema.prisma",
  migrations: "prisma/postgres/migrations",
  provider: "postgresql",
  env: { DATABASE_URL: process.env.DATABASE_URL_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
