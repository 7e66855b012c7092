-- CreateTable
CREATE TABLE "StatusList" (
    "purpose" TEXT NOT NULL PRIMARY KEY,
    "length" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "encodedList" TEXT,
    "credential" TEXT,
    "signedVersion" INTEGER,
    "signedBaseUrl" TEXT,
    "signedKeyId" TEXT,
    "signedAt" DATETIME
);

-- CreateTable
CREATE TABLE "StatusListEntry" (
    "purpose" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "value" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedAt" DATETIME,

    PRIMARY KEY ("purpose", "index"),
    CONSTRAINT "StatusListEntry_purpose_fkey" FOREIGN KEY ("purpose") REFERENCES "StatusList" ("purpose") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "StatusListEntry_purpose_value_idx" ON "StatusListEntry"("purpose", "value");
