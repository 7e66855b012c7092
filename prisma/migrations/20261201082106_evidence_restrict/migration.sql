-- AlterTable
ALTER TABLE "User" ADD COLUMN "anonymisedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CohortMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cohortId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "supervisorId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CohortMember_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CohortMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CohortMember_supervisorId_fkey" FOREIGN KEY ("supervisorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_CohortMember" ("cohortId", "createdAt", "id", "role", "supervisorId", "userId") SELECT "cohortId", "createdAt", "id", "role", "supervisorId", "userId" FROM "CohortMember";
DROP TABLE "CohortMember";
ALTER TABLE "new_CohortMember" RENAME TO "CohortMember";
CREATE INDEX "CohortMember_userId_idx" ON "CohortMember"("userId");
CREATE INDEX "CohortMember_supervisorId_idx" ON "CohortMember"("supervisorId");
CREATE UNIQUE INDEX "CohortMember_cohortId_userId_key" ON "CohortMember"("cohortId", "userId");
CREATE TABLE "new_ModuleProgress" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastViewedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastVersionSeen" INTEGER NOT NULL,
    "completedAt" DATETIME,
    "completedVersion" INTEGER,
    "quizPassedAt" DATETIME,
    CONSTRAINT "ModuleProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ModuleProgress" ("completedAt", "completedVersion", "id", "lastVersionSeen", "lastViewedAt", "moduleId", "quizPassedAt", "startedAt", "userId") SELECT "completedAt", "completedVersion", "id", "lastVersionSeen", "lastViewedAt", "moduleId", "quizPassedAt", "startedAt", "userId" FROM "ModuleProgress";
DROP TABLE "ModuleProgress";
ALTER TABLE "new_ModuleProgress" RENAME TO "ModuleProgress";
CREATE INDEX "ModuleProgress_moduleId_idx" ON "ModuleProgress"("moduleId");
CREATE UNIQUE INDEX "ModuleProgress_userId_moduleId_key" ON "ModuleProgress"("userId", "moduleId");
CREATE TABLE "new_QuizAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "quizId" TEXT NOT NULL,
    "quizVersion" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "served" TEXT NOT NULL,
    "answers" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'IN_PROGRESS',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadline" DATETIME,
    "submittedAt" DATETIME,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "score" REAL,
    "maxScore" REAL,
    "percent" REAL,
    "passed" BOOLEAN,
    CONSTRAINT "QuizAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_QuizAttempt" ("answers", "deadline", "id", "late", "maxScore", "passed", "percent", "quizId", "quizVersion", "score", "seed", "served", "startedAt", "status", "submittedAt", "userId") SELECT "answers", "deadline", "id", "late", "maxScore", "passed", "percent", "quizId", "quizVersion", "score", "seed", "served", "startedAt", "status", "submittedAt", "userId" FROM "QuizAttempt";
DROP TABLE "QuizAttempt";
ALTER TABLE "new_QuizAttempt" RENAME TO "QuizAttempt";
CREATE INDEX "QuizAttempt_userId_quizId_idx" ON "QuizAttempt"("userId", "quizId");
CREATE INDEX "QuizAttempt_quizId_quizVersion_status_idx" ON "QuizAttempt"("quizId", "quizVersion", "status");
CREATE INDEX "QuizAttempt_status_idx" ON "QuizAttempt"("status");
CREATE TABLE "new_QuizMark" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "attemptId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "points" REAL NOT NULL,
    "feedback" TEXT NOT NULL DEFAULT '',
    "markerId" TEXT NOT NULL,
    "markedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "QuizMark_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "QuizAttempt" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "QuizMark_markerId_fkey" FOREIGN KEY ("markerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_QuizMark" ("attemptId", "feedback", "id", "markedAt", "markerId", "points", "questionId") SELECT "attemptId", "feedback", "id", "markedAt", "markerId", "points", "questionId" FROM "QuizMark";
DROP TABLE "QuizMark";
ALTER TABLE "new_QuizMark" RENAME TO "QuizMark";
CREATE UNIQUE INDEX "QuizMark_attemptId_questionId_key" ON "QuizMark"("attemptId", "questionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_idx" ON "AuditEvent"("actorId");

-- Hand-written (ADR 0013): AuditEvent names people in "actorId" and
-- "subjectId" without a foreign key ("subjectId" may also name a cohort or an
-- attempt), so this trigger is their ON DELETE RESTRICT. People are
-- anonymised, never deleted.
CREATE TRIGGER "User_no_delete_with_audit_events" BEFORE DELETE ON "User"
WHEN EXISTS (SELECT 1 FROM "AuditEvent" WHERE "actorId" = OLD."id" OR "subjectId" = OLD."id")
BEGIN
    SELECT RAISE(ABORT, 'User is named in the audit log: anonymise instead of deleting');
END;
