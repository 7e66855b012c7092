-- CreateTable
CREATE TABLE "Certificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "issuedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "statusReason" TEXT,
    "statusChangedAt" DATETIME,
    "revocationIndex" INTEGER NOT NULL,
    "suspensionIndex" INTEGER NOT NULL,
    "onRegister" BOOLEAN NOT NULL DEFAULT false,
    "expiryNoticeAt" DATETIME,
    "expiredAt" DATETIME,
    "renewedFromId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Certificate_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Certificate_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Certificate_renewedFromId_fkey" FOREIGN KEY ("renewedFromId") REFERENCES "Certificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CertificateEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "certificateId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "reason" TEXT,
    "actorId" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" DATETIME,
    CONSTRAINT "CertificateEvent_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CertificateEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CpdEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "date" DATETIME NOT NULL,
    "hours" REAL NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CpdEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
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
