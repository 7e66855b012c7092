-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('OPEN', 'ENDED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "SupervisionStatus" AS ENUM ('PENDING', 'CONFIRMED', 'QUERIED');

-- CreateEnum
CREATE TYPE "ConsentMethod" AS ENUM ('WRITTEN_FORM', 'ELECTRONIC_FORM', 'RECORDED_VERBAL');

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
    "caseId" TEXT NOT NULL,
    "attestedById" TEXT NOT NULL,
    "consentOn" TIMESTAMP(3) NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "forSupervision" BOOLEAN NOT NULL,
    "forAssessment" BOOLEAN NOT NULL,
    "withdrawnAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentAttestation_pkey" PRIMARY KEY ("id")
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
