-- CreateEnum
CREATE TYPE "CertificateStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'REVOKED');

-- CreateEnum
CREATE TYPE "CertificateEventType" AS ENUM ('ISSUED', 'SUSPENDED', 'REINSTATED', 'REVOKED', 'EXPIRED', 'RENEWED', 'EXPIRY_NOTICE');

-- CreateEnum
CREATE TYPE "CpdKind" AS ENUM ('CLINICAL', 'GENERAL');

-- CreateTable
CREATE TABLE "Certificate" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "holderId" TEXT NOT NULL,
    "holderName" TEXT NOT NULL,
    "registrationBody" TEXT,
    "registrationNumber" TEXT,
    "pathwayId" TEXT NOT NULL,
    "pathwayVersion" INTEGER NOT NULL,
    "credentialName" TEXT NOT NULL,
    "issuerName" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "evidenceHash" TEXT NOT NULL,
    "issuedById" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "status" "CertificateStatus" NOT NULL DEFAULT 'ACTIVE',
    "statusReason" TEXT,
    "statusChangedAt" TIMESTAMP(3),
    "revocationIndex" INTEGER NOT NULL,
    "suspensionIndex" INTEGER NOT NULL,
    "onRegister" BOOLEAN NOT NULL DEFAULT false,
    "expiryNoticeAt" TIMESTAMP(3),
    "expiredAt" TIMESTAMP(3),
    "renewedFromId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateEvent" (
    "id" TEXT NOT NULL,
    "certificateId" TEXT NOT NULL,
    "type" "CertificateEventType" NOT NULL,
    "reason" TEXT,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMP(3),

    CONSTRAINT "CertificateEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CpdEntry" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "date" TIMESTAMP(3) NOT NULL,
    "hours" DOUBLE PRECISION NOT NULL,
    "kind" "CpdKind" NOT NULL,
    "description" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CpdEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_code_key" ON "Certificate"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_revocationIndex_key" ON "Certificate"("revocationIndex");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_suspensionIndex_key" ON "Certificate"("suspensionIndex");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_renewedFromId_key" ON "Certificate"("renewedFromId");

-- CreateIndex
CREATE INDEX "Certificate_holderId_idx" ON "Certificate"("holderId");

-- CreateIndex
CREATE INDEX "Certificate_status_expiresAt_idx" ON "Certificate"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "Certificate_onRegister_idx" ON "Certificate"("onRegister");

-- CreateIndex
CREATE INDEX "CertificateEvent_certificateId_at_idx" ON "CertificateEvent"("certificateId", "at");

-- CreateIndex
CREATE INDEX "CpdEntry_userId_date_idx" ON "CpdEntry"("userId", "date");

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_renewedFromId_fkey" FOREIGN KEY ("renewedFromId") REFERENCES "Certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateEvent" ADD CONSTRAINT "CertificateEvent_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateEvent" ADD CONSTRAINT "CertificateEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CpdEntry" ADD CONSTRAINT "CpdEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
