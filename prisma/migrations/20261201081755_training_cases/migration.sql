-- CreateTable
CREATE TABLE "TrainingCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "traineeId" TEXT NOT NULL,
    "supervisorId" TEXT NOT NULL,
    "clientCode" TEXT NOT NULL,
    "startedOn" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "closedOn" DATETIME,
    "planId" TEXT NOT NULL DEFAULT 'dit-16',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TrainingCase_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TrainingCase_supervisorId_fkey" FOREIGN KEY ("supervisorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "heldOn" DATETIME NOT NULL,
    "phq9" INTEGER,
    "gad7" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CaseSession_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "TrainingCase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SupervisionEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "heldOn" DATETIME NOT NULL,
    "minutes" INTEGER NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "loggedById" TEXT NOT NULL,
    "reviewedById" TEXT,
    "reviewedAt" DATETIME,
    "reviewNote" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SupervisionEntry_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "TrainingCase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SupervisionEntry_loggedById_fkey" FOREIGN KEY ("loggedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SupervisionEntry_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsentAttestation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "attestedById" TEXT NOT NULL,
    "consentOn" DATETIME NOT NULL,
    "method" TEXT NOT NULL,
    "forSupervision" BOOLEAN NOT NULL,
    "forAssessment" BOOLEAN NOT NULL,
    "withdrawnAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsentAttestation_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "TrainingCase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ConsentAttestation_attestedById_fkey" FOREIGN KEY ("attestedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TrainingCase_supervisorId_idx" ON "TrainingCase"("supervisorId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingCase_traineeId_clientCode_key" ON "TrainingCase"("traineeId", "clientCode");

-- CreateIndex
CREATE UNIQUE INDEX "CaseSession_caseId_number_key" ON "CaseSession"("caseId", "number");

-- CreateIndex
CREATE INDEX "SupervisionEntry_caseId_heldOn_idx" ON "SupervisionEntry"("caseId", "heldOn");

-- CreateIndex
CREATE INDEX "ConsentAttestation_caseId_idx" ON "ConsentAttestation"("caseId");
