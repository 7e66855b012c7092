import type { Db, DbTx } from "#app/db.server";
import type { CpdKind } from "#app/domain/certificate-rules";
import { appendAuditEvent, audited } from "#app/models/audit.server";

/**
 * A practitioner's CPD log (continuing professional development), which
 * renewal counts (app/domain/certificate-rules.ts). Only its author reads or
 * writes it: every query filters by userId. Entries are evidence for a
 * renewal, so they are never edited or deleted once logged.
 */

export type CpdEntryRow = { id: string; date: Date; hours: number; kind: CpdKind; description: string; createdAt: Date };

export async function cpdEntriesOf(db: DbTx, userId: string): Promise<CpdEntryRow[]> {
  return db.cpdEntry.findMany({
    where: { userId },
    orderBy: [{ date: "desc" }, { createdAt: "desc" }],
    select: { id: true, date: true, hours: true, kind: true, description: true, createdAt: true },
  });
}

export async function logCpd(
  db: Db,
  input: { userId: string; date: Date; hours: number; kind: CpdKind; description: string },
): Promise<{ id: string }> {
  return audited(db, async (tx) => {
    const created = await tx.cpdEntry.create({ data: input, select: { id: true } });
    await appendAuditEvent(tx, {
      type: "cpd.logged",
      actorId: input.userId,
      subjectId: input.userId,
      data: { entryId: created.id, hours: input.hours, kind: input.kind },
    });
    return created;
  });
}
