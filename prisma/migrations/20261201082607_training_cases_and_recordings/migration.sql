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
    "caseId" TEXT,
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

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "caseSessionId" TEXT,
    "consentId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'UPLOADING',
    "uploadId" TEXT NOT NULL,
    "store" TEXT NOT NULL,
    "declaredSize" BIGINT NOT NULL,
    "receivedBytes" BIGINT NOT NULL DEFAULT 0,
    "mimeType" TEXT,
    "hasVideo" BOOLEAN,
    "durationSeconds" REAL,
    "sha256" TEXT,
    "wrappedKey" TEXT,
    "keyId" TEXT,
    "rejectReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    "deleteAfter" DATETIME NOT NULL,
    "legalHold" BOOLEAN NOT NULL DEFAULT false,
    "legalHoldReason" TEXT,
    "withdrawnAt" DATETIME,
    "purgedAt" DATETIME,
    CONSTRAINT "Recording_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Recording_caseSessionId_fkey" FOREIGN KEY ("caseSessionId") REFERENCES "CaseSession" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Recording_consentId_fkey" FOREIGN KEY ("consentId") REFERENCES "ConsentAttestation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecordingChunk" (
    "recordingId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("recordingId", "index"),
    CONSTRAINT "RecordingChunk_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

-- CreateIndex
CREATE INDEX "ConsentAttestation_attestedById_idx" ON "ConsentAttestation"("attestedById");

-- CreateIndex
CREATE UNIQUE INDEX "Recording_uploadId_key" ON "Recording"("uploadId");

-- CreateIndex
CREATE INDEX "Recording_ownerId_idx" ON "Recording"("ownerId");

-- CreateIndex
CREATE INDEX "Recording_caseSessionId_idx" ON "Recording"("caseSessionId");

-- CreateIndex
CREATE INDEX "Recording_status_deleteAfter_idx" ON "Recording"("status", "deleteAfter");
