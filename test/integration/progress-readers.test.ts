// One truth about module progress: the module page reads it with raw SQL (readerState, its hot path), everything
// else through Prisma (progressFor). This contract holds the fast reader to the Prisma one for rows in every state, on
// SQLite and PostgreSQL: a column dropped from (or added to only one of) the two SELECTs fails here.
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { journalForUser, saveJournalEntry } from "#app/models/journal.server";
import { completeModule, progressFor, readerState, recordModuleView, recordQuizPassed } from "#app/models/progress.server";
import { makeUser } from "../support/app";

const at = (iso: string) => new Date(iso);

/** A person with one row per state (and one module never opened). */
async function personInEveryState() {
  const db = getDb();
  const { id: userId } = await makeUser(["TRAINEE"]);
  await recordModuleView(db, { userId, moduleId: "viewed", version: 3 }, at("2026-11-01T09:15:30.123Z"));
  await recordQuizPassed(db, { userId, moduleId: "quiz-passed", version: 2 }, at("2026-11-02T10:00:00.456Z"));
  await recordModuleView(db, { userId, moduleId: "completed", version: 1 }, at("2026-11-03T08:00:00.000Z"));
  await recordQuizPassed(db, { userId, moduleId: "completed", version: 1 }, at("2026-11-03T08:30:00.000Z"));
  await completeModule(db, { userId, moduleId: "completed", version: 1 }, at("2026-11-03T09:00:00.789Z"));
  // Completed at version 1; the module has since moved to version 2 and been opened again.
  await completeModule(db, { userId, moduleId: "completed-older", version: 1 }, at("2026-10-01T12:00:00.000Z"));
  await recordModuleView(db, { userId, moduleId: "completed-older", version: 2 }, at("2026-11-04T12:00:00.000Z"));
  return userId;
}

describe("readerState (raw SQL) agrees with progressFor (Prisma)", () => {
  it("for rows in every state: not started, viewed, quiz passed, completed, completed at an older version", async () => {
    const db = getDb();
    const userId = await personInEveryState();
    const prisma = await progressFor(db, userId);
    const { progress: raw } = await readerState(db, userId, "viewed");

    // The Prisma reader sees what was written (so the comparison below is about real rows).
    expect([...prisma.keys()].sort()).toEqual(["completed", "completed-older", "quiz-passed", "viewed"]);
    expect(prisma.get("not-started")).toBeUndefined();
    expect(prisma.get("completed-older")).toMatchObject({ completedVersion: 1, lastVersionSeen: 2 });
    expect(prisma.get("quiz-passed")?.quizPassedAt).toEqual(at("2026-11-02T10:00:00.456Z"));

    // The raw reader returns exactly the same records: same modules, same fields, same values and types.
    expect(raw).toEqual(prisma);
    for (const [moduleId, record] of prisma) {
      expect(Object.keys(raw.get(moduleId) ?? {}).sort(), moduleId).toEqual(Object.keys(record).sort());
      for (const [field, value] of Object.entries(record)) {
        const got = (raw.get(moduleId) as Record<string, unknown>)[field];
        expect(typeof got, `${moduleId}.${field}`).toBe(typeof value);
        if (value instanceof Date) expect((got as Date).getTime(), `${moduleId}.${field}`).toBe(value.getTime());
      }
    }
  });

  it("reads only the reader's own rows, and their journal entries for this module only", async () => {
    const db = getDb();
    const userId = await personInEveryState();
    const other = await personInEveryState();
    await saveJournalEntry(db, { userId, moduleId: "viewed", promptId: "viewed-one", text: "Mine, here." });
    await saveJournalEntry(db, { userId, moduleId: "completed", promptId: "completed-one", text: "Mine, elsewhere." });
    await saveJournalEntry(db, { userId: other, moduleId: "viewed", promptId: "viewed-two", text: "Theirs." });

    const { progress, journal } = await readerState(db, userId, "viewed");
    expect(progress).toEqual(await progressFor(db, userId));
    const own = (await journalForUser(db, userId)).filter((e) => e.moduleId === "viewed");
    expect(journal).toEqual(new Map(own.map((e) => [e.promptId, e.text])));
    expect(journal).toEqual(new Map([["viewed-one", "Mine, here."]]));
  });

  it("a person with no rows reads as empty through both", async () => {
    const db = getDb();
    const { id } = await makeUser(["TRAINEE"]);
    const { progress, journal } = await readerState(db, id, "viewed");
    expect(progress).toEqual(await progressFor(db, id));
    expect(progress.size).toBe(0);
    expect(journal.size).toBe(0);
  });
});
