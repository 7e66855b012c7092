import type { Db, DbTx } from "#app/db.server";
import { AUDIT_LANES, auditHash, type ChainBreak, ChainVerifier, laneGenesis } from "#app/domain/audit-chain";
import { Prisma } from "#app/generated/prisma/client";

export type AuditInput = {
  type: string;
  actorId?: string | null;
  subjectId?: string | null;
  /** Details; never passwords, tokens or clinical content. */
  data?: Record<string, unknown>;
};

/** Advisory-lock namespace of the audit lanes (PostgreSQL). */
const LANE_LOCK_KEY = 4_242_001;

function isPostgres(tx: DbTx): boolean {
  // Prisma's own field; both generated clients carry it.
  return (tx as unknown as { _activeProvider?: string })._activeProvider === "postgresql";
}

/**
 * The lane this transaction appends to, and that lane's last hash. On
 * PostgreSQL: the first lane no other transaction holds, locked (advisory,
 * until commit) and read in one statement; a transaction that appends twice
 * keeps its lane. The statement's snapshot is taken just before the lock, so
 * in a rare race it reads the head its lane had before the previous holder
 * committed: the insert then collides on the unique prevHash and `audited`
 * retries. When every lane is held, wait for a random one. SQLite admits one
 * writer at a time: lane 0.
 */
async function claimLane(tx: DbTx): Promise<{ lane: number; head: string | null }> {
  if (isPostgres(tx)) {
    const held = lanesHeld.get(tx);
    if (held !== undefined) return { lane: held, head: await laneHead(tx, held) };
    const claimed = await claimFreeLane(tx);
    lanesHeld.set(tx, claimed.lane);
    return claimed;
  }
  return { lane: 0, head: await laneHead(tx, 0) };
}

/** The lane each open PostgreSQL transaction holds (the transaction client is one object for its whole life). */
const lanesHeld = new WeakMap<DbTx, number>();

async function claimFreeLane(tx: DbTx): Promise<{ lane: number; head: string | null }> {
  const free = await tx.$queryRaw<{ lane: number; head: string | null }[]>`WITH claimed AS (
      SELECT lane FROM generate_series(0, ${AUDIT_LANES - 1}::int) AS lane
      WHERE pg_try_advisory_xact_lock(${LANE_LOCK_KEY}::int, lane) LIMIT 1)
    SELECT claimed.lane, (SELECT e."hash" FROM "AuditEvent" e WHERE e."lane" = claimed.lane ORDER BY e."id" DESC LIMIT 1) AS head
    FROM claimed`;
  if (free[0]) return { lane: Number(free[0].lane), head: free[0].head };
  const lane = Math.floor(Math.random() * AUDIT_LANES);
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${LANE_LOCK_KEY}::int, ${lane}::int)::text`;
  return { lane, head: await laneHead(tx, lane) };
}

async function laneHead(tx: DbTx, lane: number): Promise<string | null> {
  const last = await tx.auditEvent.findFirst({ where: { lane }, orderBy: { id: "desc" }, select: { hash: true } });
  return last?.hash ?? null;
}

/**
 * Appends one event to its lane's chain. Call inside a transaction that also
 * makes the change being audited (see `audited`), so both land or neither does.
 */
export async function appendAuditEvent(tx: DbTx, input: AuditInput): Promise<void> {
  // Outside a transaction the lane lock would end with the statement (and the event land without its change).
  if (typeof (tx as { $transaction?: unknown }).$transaction === "function") {
    throw new Error("appendAuditEvent must run inside a transaction: use audited() or recordAuditEvent()");
  }
  const { lane, head } = await claimLane(tx);
  const prevHash = head ?? laneGenesis(lane);
  const fields = {
    createdAt: new Date(),
    type: input.type,
    actorId: input.actorId ?? null,
    subjectId: input.subjectId ?? null,
    data: JSON.stringify(input.data ?? {}),
  };
  const hash = auditHash(prevHash, fields);
  if (isPostgres(tx)) {
    // Raw on PostgreSQL: a third less time per append than Prisma's create (bench/audit-append.ts, ADR 0014).
    await tx.$executeRaw`INSERT INTO "AuditEvent" ("createdAt", "type", "actorId", "subjectId", "data", "lane", "prevHash", "hash")
      VALUES (${fields.createdAt}, ${fields.type}, ${fields.actorId}, ${fields.subjectId}, ${fields.data}, ${lane}, ${prevHash}, ${hash})`;
    return;
  }
  await tx.auditEvent.create({ data: { ...fields, lane, prevHash, hash } });
}

/**
 * SQLite: make this transaction the writer before it reads anything — what
 * BEGIN IMMEDIATE would do, which Prisma's adapter cannot issue. A statement
 * that writes (here: updates no row) takes the write lock at its start, waiting
 * up to the busy timeout for another process's writer; reads after it see the
 * latest commit, so the transaction cannot fail later with SQLITE_BUSY_SNAPSHOT.
 */
async function takeSqliteWriteLock(tx: DbTx): Promise<void> {
  await tx.$executeRaw`UPDATE "AuditEvent" SET "lane" = "lane" WHERE 0`;
}

/** Every code and message in an error and its causes (Prisma wraps driver errors in several layers). */
function errorText(error: unknown, depth = 0): string {
  if (!error || typeof error !== "object" || depth > 4) return String(error ?? "");
  const e = error as { code?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
  return [e.code, e.message, JSON.stringify(e.meta ?? {}), errorText(e.cause, depth + 1)].map(String).join(" ");
}

/**
 * Whether a failed audited transaction may simply run again: the chain race
 * (unique prevHash), a PostgreSQL serialization failure or deadlock, or SQLite
 * refusing a writer — SQLITE_BUSY (the 5 s busy timeout ran out) and
 * SQLITE_BUSY_SNAPSHOT (another process committed after this transaction had
 * read, so it may not upgrade to a writer; the busy timeout does not wait for
 * that one).
 */
export function isRetryableAuditError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2034") return true;
  const text = errorText(error);
  // The chain race: a unique violation on prevHash (P2002 from Prisma's insert, 23505 from the raw one).
  if (/P2002|23505|UniqueConstraintViolation/.test(text) && text.includes("prevHash")) return true;
  return /SQLITE_BUSY|database is locked|40001|40P01|could not serialize|deadlock detected/.test(text);
}

export type AuditedOptions = {
  /** Tries in all (default 8). */
  attempts?: number;
  /** Called before each retry (benchmarks and tests count them). */
  onRetry?: (error: unknown, attempt: number) => void;
};

/**
 * Runs `work` and its audit events in one transaction. Two instances writing
 * at once race for the same prevHash; the unique index makes the loser fail,
 * and it retries with the new chain head. `work` may run more than once, so
 * it must do nothing outside the transaction it is given.
 */
export async function audited<T>(db: Db, work: (tx: DbTx) => Promise<T>, options: AuditedOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        if (!isPostgres(tx)) await takeSqliteWriteLock(tx);
        return work(tx);
      });
    } catch (error) {
      if (attempt >= attempts || !isRetryableAuditError(error)) throw error;
      options.onRetry?.(error, attempt);
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** Records a single event on its own. */
export function recordAuditEvent(db: Db, input: AuditInput, options?: AuditedOptions): Promise<void> {
  return audited(db, (tx) => appendAuditEvent(tx, input), options);
}

export type ChainReport = { checked: number; broken: ChainBreak | null; heads: { lane: number; hash: string }[] };

/** Recomputes every lane in id order, in pages (never the whole table in memory). */
export async function verifyAuditChain(db: DbTx, pageSize = 1000): Promise<ChainReport> {
  const verifier = new ChainVerifier();
  let cursor = 0;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: pageSize });
    const broken = verifier.check(page);
    if (broken) return { checked: verifier.checked, broken, heads: verifier.heads() };
    if (page.length < pageSize) return { checked: verifier.checked, broken: null, heads: verifier.heads() };
    cursor = page[page.length - 1]?.id ?? cursor;
  }
}

export type AuditRow = {
  id: number;
  createdAt: Date;
  type: string;
  actorId: string | null;
  subjectId: string | null;
  data: string;
};

export async function listAuditEvents(
  db: DbTx,
  { before, type, take = 50 }: { before?: number; type?: string; take?: number },
): Promise<AuditRow[]> {
  return db.auditEvent.findMany({
    where: { ...(before ? { id: { lt: before } } : {}), ...(type ? { type } : {}) },
    orderBy: { id: "desc" },
    take,
    select: { id: true, createdAt: true, type: true, actorId: true, subjectId: true, data: true },
  });
}

export type AuditPageRow = Omit<AuditRow, "createdAt"> & { createdAt: string; actor: string; subject: string };

/**
 * One page of the audit log for people to read: newest first, with the names
 * of the people it mentions (anonymised people show their placeholder name;
 * ids that are not people — cohorts, attempts — show as they are).
 */
export async function listAuditPage(db: DbTx, filter: { before?: number; type?: string }, take: number): Promise<AuditPageRow[]> {
  const events = await listAuditEvents(db, { ...filter, take });
  const ids = [...new Set(events.flatMap((e) => [e.actorId, e.subjectId]).filter((v): v is string => Boolean(v)))];
  const people = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(people.map((p) => [p.id, p.name]));
  return events.map((e) => ({
    ...e,
    createdAt: e.createdAt.toISOString(),
    actor: e.actorId ? (names.get(e.actorId) ?? e.actorId) : "—",
    subject: e.subjectId ? (names.get(e.subjectId) ?? e.subjectId) : "—",
  }));
}
