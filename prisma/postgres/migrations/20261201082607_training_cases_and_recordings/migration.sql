-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('OPEN', 'ENDED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "SupervisionStatus" AS ENUM ('PENDING', 'CONFIRMED', 'QUERIED');

-- CreateEnum
CREATE TYPE "ConsentMethod" AS ENUM ('WRITTEN_FORM', 'ELECTRONIC_FORM', 'RECORDED_VERBAL');

-- CreateEnum
CREATE TYPE "RecordingKind" AS ENUM ('CASE_SESSION', 'ROLE_PLAY');

-- CreateEnum
CREATE TYPE "RecordingStatus" AS ENUM ('UPLOADING', 'READY', 'REJECTED', 'WITHDRAWN', 'PURGED');

-- CreateTable
CREATE TABLE "TrainingCase" (
    "id" TEXT NOT NULL,
    "traineeId" TEXT NOT NULL,
    "supervisorId" TEXT NOT NULL,
    "clientCode" TEXT NOT NULL,
    "startedOn" TIMESTAMP(3) NOT NULL,
    "status" "CaseStatus" NOT NULL DEFAULT 'OPEN',
    "closedOn" TIMESTAMP(3),
    "planId" TEXT NOT NULL DEFAULT 'dit-16',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseSession" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "heldOn" TIMESTAMP(3) NOT NULL,
    "phq9" INTEGER,
    "gad7" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupervisionEntry" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "heldOn" TIMESTAMP(3) NOT NULL,
    "minutes" INTEGER NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "status" "SupervisionStatus" NOT NULL DEFAULT 'PENDING',
    "loggedById" TEXT NOT NULL,
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "reviewNote" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupervisionEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentAttestation" (
    "id" TEXT NOT NULL,
    "caseId" TEXT,
    "attestedById" TEXT NOT NULL,
    "consentOn" TIMESTAMP(3) NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "forSupervision" BOOLEAN NOT NULL,
    "forAssessment" BOOLEAN NOT NULL,
    "withdrawnAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentAttestation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "kind" "RecordingKind" NOT NULL,
    "caseSessionId" TEXT,
    "consentId" TEXT NOT NULL,
    "status" "RecordingStatus" NOT NULL DEFAULT 'UPLOADING',
    "uploadId" TEXT NOT NULL,
    "store" TEXT NOT NULL,
    "declaredSize" BIGINT NOT NULL,
    "receivedBytes" BIGINT NOT NULL DEFAULT 0,
    "mimeType" TEXT,
    "hasVideo" BOOLEAN,
    "durationSeconds" DOUBLE PRECISION,
    "sha256" TEXT,
    "wrappedKey" TEXT,
    "keyId" TEXT,
    "rejectReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "deleteAfter" TIMESTAMP(3) NOT NULL,
    "legalHold" BOOLEAN NOT NULL DEFAULT false,
    "legalHoldReason" TEXT,
    "withdrawnAt" TIMESTAMP(3),
    "purgedAt" TIMESTAMP(3),

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordingChunk" (
    "recordingId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "RecordingChunk_pkey" PRIMARY KEY ("recordingId","index")
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

-- AddForeignKey
ALTER TABLE "TrainingCase" ADD CONSTRAINT "TrainingCase_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingCase" ADD CONSTRAINT "TrainingCase_supervisorId_fkey" FOREIGN KEY ("supervisorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseSession" ADD CONSTRAINT "CaseSession_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "TrainingCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionEntry" ADD CONSTRAINT "SupervisionEntry_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "TrainingCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionEntry" ADD CONSTRAINT "SupervisionEntry_loggedById_fkey" FOREIGN KEY ("loggedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionEntry" ADD CONSTRAINT "SupervisionEntry_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentAttestation" ADD CONSTRAINT "ConsentAttestation_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "TrainingCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentAttestation" ADD CONSTRAINT "ConsentAttestation_attestedById_fkey" FOREIGN KEY ("attestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_caseSessionId_fkey" FOREIGN KEY ("caseSessionId") REFERENCES "CaseSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_consentId_fkey" FOREIGN KEY ("consentId") REFERENCES "ConsentAttestation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordingChunk" ADD CONSTRAINT "RecordingChunk_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;
