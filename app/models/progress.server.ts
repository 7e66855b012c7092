import { type DbTx, getDb, sqliteRead } from "#app/db.server";
import { type ProgressRecord, shouldRecordView } from "#app/domain/curriculum";

const progressSelect = {
  moduleId: true,
  lastViewedAt: true,
  lastVersionSeen: true,
  completedAt: true,
  completedVersion: true,
  quizPassedAt: true,
} as const;

/** One person's progress over every module, keyed by module id (one query). */
export async function progressFor(db: DbTx, userId: string): Promise<Map<string, ProgressRecord>> {
  const rows = await db.moduleProgress.findMany({ where: { userId }, select: progressSelect });
  return new Map(rows.map((r) => [r.moduleId, r]));
}

/**
 * Notes that a person opened a module (first time: started). Written at most
 * every few minutes per module, so reading stays read-only.
 */
export async function recordModuleView(
  db: DbTx,
  { userId, moduleId, version, existing }: { userId: string; moduleId: string; version: number; existing?: ProgressRecord },
  now = new Date(),
): Promise<void> {
  if (!shouldRecordView(existing, version, now)) return;
  await db.moduleProgress.upsert({
    where: { userId_moduleId: { userId, moduleId } },
    create: { userId, moduleId, lastVersionSeen: version, startedAt: now, lastViewedAt: now },
    update: { lastVersionSeen: version, lastViewedAt: now },
  });
}

/** Marks a module complete at its current version (again, after an update). Callers check the rules first. */
export async function completeModule(
  db: DbTx,
  { userId, moduleId, version }: { userId: string; moduleId: string; version: number },
  now = new Date(),
): Promise<void> {
  await db.moduleProgress.upsert({
    where: { userId_moduleId: { userId, moduleId } },
    create: { userId, moduleId, lastVersionSeen: version, completedAt: now, completedVersion: version, startedAt: now, lastViewedAt: now },
    update: { completedAt: now, completedVersion: version, lastVersionSeen: version },
  });
}

export type CohortProgressRow = {
  userId: string;
  name: string;
  email: string;
  progress: Map<string, ProgressRecord>;
};

/** Every trainee of a cohort with their progress (two queries, whatever the cohort's size). */
export async function cohortProgress(db: DbTx, cohortId: string): Promise<CohortProgressRow[]> {
  const trainees = await db.cohortMember.findMany({
    where: { cohortId, role: "TRAINEE" },
    orderBy: { user: { name: "asc" } },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  const ids = trainees.map((t) => t.user.id);
  const rows = ids.length
    ? await db.moduleProgress.findMany({ where: { userId: { in: ids } }, select: { ...progressSelect, userId: true } })
    : [];
  const byUser = new Map<string, Map<string, ProgressRecord>>(ids.map((id) => [id, new Map()]));
  for (const { userId, ...record } of rows) byUser.get(userId)?.set(record.moduleId, record);
  return trainees.map((t) => ({
    userId: t.user.id,
    name: t.user.name,
    email: t.user.email,
    progress: byUser.get(t.user.id) ?? new Map(),
  }));
}

type ProgressRow = {
  moduleId: string;
  lastViewedAt: Date | string;
  lastVersionSeen: number;
  completedAt: Date | string | null;
  completedVersion: number | null;
  quizPassedAt: Date | string | null;
};

/**
 * What a module page needs to know about its reader: their progress over
 * every module and their journal entries for this module (only the reader's
 * own rows). Two plain, parameterised statements through `$queryRaw` that
 * SQLite and PostgreSQL both accept: the module page is the hottest page, and
 * this costs about a fifth of the nested Prisma query (docs/benchmarks.md).
 * test/integration/progress-readers.test.ts holds it to `progressFor` on both
 * databases: add a ModuleProgress field to one reader and not the other, and it fails.
 */
const PROGRESS_SQL = `SELECT "moduleId", "lastViewedAt", "lastVersionSeen", "completedAt", "completedVersion", "quizPassedAt"
  FROM "ModuleProgress" WHERE "userId" = ?`;
const JOURNAL_SQL = `SELECT "promptId", "text" FROM "JournalEntry" WHERE "userId" = ? AND "moduleId" = ?`;

export async function readerState(db: DbTx, userId: string, moduleId: string) {
  // On SQLite with the process-wide client (not a transaction), the same two statements prepared once on the
  // read-only connection: Prisma's per-query work was most of the page's database cost (ADR 0024).
  const direct = db === getDb();
  const [progressRows, journalRows] = await Promise.all([
    (direct ? sqliteRead<ProgressRow>(PROGRESS_SQL, [userId]) : undefined) ??
      db.$queryRaw<ProgressRow[]>`
      SELECT "moduleId", "lastViewedAt", "lastVersionSeen", "completedAt", "completedVersion", "quizPassedAt"
      FROM "ModuleProgress" WHERE "userId" = ${userId}`,
    (direct ? sqliteRead<{ promptId: string; text: string }>(JOURNAL_SQL, [userId, moduleId]) : undefined) ??
      db.$queryRaw<{ promptId: string; text: string }[]>`
      SELECT "promptId", "text" FROM "JournalEntry" WHERE "userId" = ${userId} AND "moduleId" = ${moduleId}`,
  ]);
  const progress = new Map<string, ProgressRecord>(
    progressRows.map((r) => [
      r.moduleId,
      {
        moduleId: r.moduleId,
        lastViewedAt: new Date(r.lastViewedAt),
        lastVersionSeen: Number(r.lastVersionSeen),
        completedAt: r.completedAt === null ? null : new Date(r.completedAt),
        completedVersion: r.completedVersion === null ? null : Number(r.completedVersion),
        quizPassedAt: r.quizPassedAt === null ? null : new Date(r.quizPassedAt),
      },
    ]),
  );
  return { progress, journal: new Map(journalRows.map((j) => [j.promptId, j.text])) };
}

/** Notes that a module's quiz was passed (the first time counts). `version` is only used if the module was never opened. */
export async function recordQuizPassed(
  db: DbTx,
  { userId, moduleId, version }: { userId: string; moduleId: string; version: number },
  now = new Date(),
) {
  await db.moduleProgress.upsert({
    where: { userId_moduleId: { userId, moduleId } },
    create: { userId, moduleId, lastVersionSeen: version, startedAt: now, lastViewedAt: now, quizPassedAt: now },
    update: {},
  });
  await db.moduleProgress.updateMany({ where: { userId, moduleId, quizPassedAt: null }, data: { quizPassedAt: now } });
}
