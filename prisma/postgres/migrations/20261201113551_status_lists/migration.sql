-- CreateTable
CREATE TABLE "StatusList" (
    "purpose" TEXT NOT NULL,
    "length" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "encodedList" TEXT,
    "credential" TEXT,
    "signedVersion" INTEGER,
    "signedBaseUrl" TEXT,
    "signedKeyId" TEXT,
    "signedAt" TIMESTAMP(3),

    CONSTRAINT "StatusList_pkey" PRIMARY KEY ("purpose")
);

-- CreateTable
CREATE TABLE "StatusListEntry" (
    "purpose" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "value" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedAt" TIMESTAMP(3),

    CONSTRAINT "StatusListEntry_pkey" PRIMARY KEY ("purpose","index")
);

-- CreateIndex
CREATE INDEX "StatusListEntry_purpose_value_idx" ON "StatusListEntry"("purpose", "value");

-- AddForeignKey
ALTER TABLE "StatusListEntry" ADD CONSTRAINT "StatusListEntry_purpose_fkey" FOREIGN KEY ("purpose") REFERENCES "StatusList"("purpose") ON DELETE RESTRICT ON UPDATE CASCADE;
