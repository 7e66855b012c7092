import type { DbTx } from "#app/db.server";

/**
 * The private journal: answers to <Reflection> prompts. Every function takes
 * the author's id and filters by it; no function reads another person's entries.
 */
export async function journalForUser(db: DbTx, userId: string) {
  return db.journalEntry.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    select: { moduleId: true, promptId: true, text: true, updatedAt: true },
  });
}

/** Saves (or, with empty text, removes) the author's answer to one prompt. */
export async function saveJournalEntry(
  db: DbTx,
  { userId, moduleId, promptId, text }: { userId: string; moduleId: string; promptId: string; text: string },
): Promise<"saved" | "removed"> {
  if (text.trim() === "") {
    await db.journalEntry.deleteMany({ where: { userId, promptId } });
    return "removed";
  }
  await db.journalEntry.upsert({
    where: { userId_promptId: { userId, promptId } },
    create: { userId, moduleId, promptId, text },
    update: { text, moduleId },
  });
  return "saved";
}
