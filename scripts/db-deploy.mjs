// Applies pending migrations to the database DATABASE_URL names (default: the
// embedded SQLite file under data/). Idempotent: safe to run on every start.
import path from "node:path";
import Database from "better-sqlite3";
import { DEFAULT_DATABASE_URL, prisma, providerOf } from "./prisma-cli.mjs";

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
prisma(["migrate", "deploy"], { url, stdio: ["ignore", "ignore", "inherit"] });
if (providerOf(url) === "sqlite") {
  // WAL is a property of the file: readers no longer block the writer.
  const db = new Database(path.resolve(url.slice("file:".length)));
  db.pragma("journal_mode = WAL");
  db.close();
}
console.log(`database: migrations applied (${providerOf(url)})`);
