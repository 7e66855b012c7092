// Before each integration test file: its own copy of the migrated base database
// (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL).
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { disconnectDb } from "#app/db.server";

const kind = inject("dbKind");
const base = inject("baseDatabaseUrl");

function adminClient(url: URL) {
  return new pg.Client({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: "postgres",
  });
}

let cleanup: () => Promise<void>;

if (kind === "postgresql") {
  const template = new URL(base);
  const templateName = decodeURIComponent(template.pathname.slice(1));
  const name = `${templateName}_t${randomBytes(5).toString("hex")}`;
  const admin = adminClient(template);
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
      break;
    } catch (error) {
      // Another worker may be cloning the template at this very moment.
      if (attempt > 20 || !String(error).includes("being accessed by other users")) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  cleanup = async () => {
    const c = adminClient(template);
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  };
} else {
  const dir = mkdtempSync(path.join(tmpdir(), "attune-db-"));
  const file = path.join(dir, "test.db");
  copyFileSync(base.slice("file:".length), file);
  process.env.DATABASE_URL = `file:${file}`;
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
}

afterAll(async () => {
  await disconnectDb();
  await cleanup();
});
