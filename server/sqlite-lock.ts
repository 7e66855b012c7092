import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/**
 * One server process per SQLite file. SQLite in WAL mode lets two processes
 * write, but their transactions then fail with SQLITE_BUSY_SNAPSHOT under
 * load; so a second server on the same file refuses to start. The lock is a
 * file next to the database (`<db>.lock`) holding the owner's pid and host;
 * it is removed on exit, and a lock whose process is gone (same host) is
 * taken over. PostgreSQL needs no lock: run as many instances as you like.
 */
export class SqliteLockError extends Error {}

type Owner = { pid: number; host: string; startedAt: string };

export function sqliteFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith("file:")) return null;
  const file = databaseUrl.slice("file:".length).split("?")[0] ?? "";
  return path.resolve(file);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(lockPath: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<Owner>;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? (owner as Owner) : null;
  } catch {
    return null;
  }
}

function isStale(owner: Owner | null): boolean {
  if (!owner) return true; // unreadable or half-written: its writer died mid-way
  if (owner.host !== hostname()) return false; // cannot tell: assume it is held
  return owner.pid === process.pid || !isAlive(owner.pid);
}

/** Takes the lock for DATABASE_URL's SQLite file (null for PostgreSQL); throws SqliteLockError if another process holds it. */
export function acquireSqliteLock(databaseUrl: string): { path: string; release: () => void } | null {
  const file = sqliteFileOf(databaseUrl);
  if (!file) return null;
  const lockPath = `${file}.lock`;
  const me: Owner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readOwner(lockPath)?.pid === me.pid) unlinkSync(lockPath);
      };
      process.once("exit", release);
      return { path: lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(lockPath);
      if (!isStale(owner)) {
        throw new SqliteLockError(
          `Another Attune server (pid ${owner?.pid} on ${owner?.host}, since ${owner?.startedAt}) is using the SQLite database ${file}. ` +
            `Only one server process may use a SQLite file; run several instances on PostgreSQL instead. ` +
            `If that process is gone, delete ${lockPath}.`,
        );
      }
      try {
        unlinkSync(lockPath);
      } catch {}
    }
  }
  throw new SqliteLockError(`Could not take the lock ${lockPath}: another process keeps creating it.`);
}
