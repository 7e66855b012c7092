-- CreateTable
CREATE TABLE "RecordingBlob" (
    "recordingId" TEXT NOT NULL PRIMARY KEY,
    "header" BLOB NOT NULL,
    "manifest" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RecordingBlob_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlaybackGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordingId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlaybackGrant_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RecordingBlob_manifest_updatedAt_idx" ON "RecordingBlob"("manifest", "updatedAt");

-- CreateIndex
CREATE INDEX "PlaybackGrant_expiresAt_idx" ON "PlaybackGrant"("expiresAt");
