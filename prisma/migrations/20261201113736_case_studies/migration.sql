-- CreateTable
CREATE TABLE "CaseStudy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "traineeId" TEXT NOT NULL,
    "caseId" TEXT,
    "title" TEXT NOT NULL,
    "store" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "wrappedKey" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SUBMITTED',
    "submittedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "previousId" TEXT,
    CONSTRAINT "CaseStudy_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CaseStudy_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "TrainingCase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CaseStudy_previousId_fkey" FOREIGN KEY ("previousId") REFERENCES "CaseStudy" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseStudyMark" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseStudyId" TEXT NOT NULL,
    "markerId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "feedback" TEXT NOT NULL,
    "markedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CaseStudyMark_caseStudyId_fkey" FOREIGN KEY ("caseStudyId") REFERENCES "CaseStudy" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CaseStudyMark_markerId_fkey" FOREIGN KEY ("markerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CaseStudy_previousId_key" ON "CaseStudy"("previousId");

-- CreateIndex
CREATE INDEX "CaseStudy_traineeId_submittedAt_idx" ON "CaseStudy"("traineeId", "submittedAt");

-- CreateIndex
CREATE INDEX "CaseStudy_status_submittedAt_idx" ON "CaseStudy"("status", "submittedAt");

-- CreateIndex
CREATE INDEX "CaseStudy_caseId_idx" ON "CaseStudy"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "CaseStudyMark_caseStudyId_key" ON "CaseStudyMark"("caseStudyId");

-- CreateIndex
CREATE INDEX "CaseStudyMark_markerId_idx" ON "CaseStudyMark"("markerId");
