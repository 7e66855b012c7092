-- CreateTable
CREATE TABLE "RecordingBlob" (
    "recordingId" TEXT NOT NULL,
    "header" BYTEA NOT NULL,
    "manifest" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecordingBlob_pkey" PRIMARY KEY ("recordingId")
);

-- CreateTable
CREATE TABLE "PlaybackGrant" (
    "id" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlaybackGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecordingBlob_manifest_updatedAt_idx" ON "RecordingBlob"("manifest", "updatedAt");

-- CreateIndex
CREATE INDEX "PlaybackGrant_expiresAt_idx" ON "PlaybackGrant"("expiresAt");

-- AddForeignKey
ALTER TABLE "RecordingBlob" ADD CONSTRAINT "RecordingBlob_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaybackGrant" ADD CONSTRAINT "PlaybackGrant_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;
