import type { Db, DbTx } from "#app/db.server";
import { auditHash, type ChainBreak, checkLink, GENESIS_HASH } from "#app/domain/audit-chain";
import { Prisma } from "#app/generated/prisma/client";

export type AuditInput = {
  type: string;
  actorId?: string | null;
  subjectId?: string | null;
  /** Details; never passwords, tokens or clinical content. */
  data?: Record<string, unknown>;
};

/**
 * Appends one event to the chain. Call inside a transaction that also makes
 * the change being audited (see `audited`), so both land or neither does.
 */
export async function appendAuditEvent(tx: DbTx, input: AuditInput): Promise<void> {
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields = {
    createdAt: new Date(),
    type: input.type,
    actorId: input.actorId ?? null,
    subjectId: input.subjectId ?? null,
    data: JSON.stringify(input.data ?? {}),
  };
  await tx.auditEvent.create({ data: { ...fields, prevHash, hash: auditHash(prevHash, fields) } });
}

function isChainRace(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return JSON.stringify(error.meta ?? {}).includes("prevHash");
  // PostgreSQL serialization failures / SQLite busy under contention.
  return error.code === "P2034";
}

/**
 * Runs `work` and its audit events in one transaction. Two instances writing
 * at once race for the same prevHash; the unique index makes the loser fail,
 * and it retries with the new chain head.
 */
export async function audited<T>(db: Db, work: (tx: DbTx) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => work(tx));
    } catch (error) {
      if (attempt >= attempts || !isChainRace(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** Records a single event on its own. */
export function recordAuditEvent(db: Db, input: AuditInput): Promise<void> {
  return audited(db, (tx) => appendAuditEvent(tx, input));
}

export type ChainReport = { checked: number; broken: ChainBreak | null };

/** Recomputes the whole chain in id order, in pages (never the whole table in memory). */
export async function verifyAuditChain(db: DbTx, pageSize = 1000): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let cursor = 0;
  let checked = 0;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: pageSize });
    for (const event of page) {
      const broken = checkLink(prev, event);
      if (broken) return { checked, broken };
      prev = event.hash;
      checked++;
    }
    if (page.length < pageSize) return { checked, broken: null };
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
