-- CreateTable
CREATE TABLE "RatingAssignment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordingId" TEXT NOT NULL,
    "raterId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'SUMMATIVE',
    "blind" BOOLEAN NOT NULL DEFAULT true,
    "assignedById" TEXT NOT NULL,
    "assignedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" DATETIME,
    CONSTRAINT "RatingAssignment_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RatingAssignment_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RatingAssignment_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "assignmentId" TEXT,
    "recordingId" TEXT NOT NULL,
    "raterId" TEXT,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "phase" TEXT,
    "overallFeedback" TEXT NOT NULL DEFAULT '',
    "mean" REAL,
    "competent" BOOLEAN,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "submittedAt" DATETIME,
    CONSTRAINT "Rating_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "RatingAssignment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Rating_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Rating_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ItemScore" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ratingId" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "raterId" TEXT,
    "itemId" TEXT NOT NULL,
    "score" INTEGER,
    "notApplicable" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "ItemScore_ratingId_fkey" FOREIGN KEY ("ratingId") REFERENCES "Rating" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ItemScore_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ItemScore_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TimedComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ratingId" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "atSeconds" REAL NOT NULL,
    "itemId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" DATETIME,
    CONSTRAINT "TimedComment_ratingId_fkey" FOREIGN KEY ("ratingId") REFERENCES "Rating" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TimedComment_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TimedComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecordingAssessment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordingId" TEXT NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "phase" TEXT,
    "secondRaterRequired" BOOLEAN NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'RATING',
    "finalRatingId" TEXT,
    "decidedBy" TEXT,
    "finalizedAt" DATETIME,
    "releasedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RecordingAssessment_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RecordingAssessment_finalRatingId_fkey" FOREIGN KEY ("finalRatingId") REFERENCES "Rating" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Moderation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "assessmentId" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "moderatorId" TEXT,
    "rationale" TEXT,
    "finalRatingId" TEXT,
    "settledAt" DATETIME,
    CONSTRAINT "Moderation_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "RecordingAssessment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Moderation_moderatorId_fkey" FOREIGN KEY ("moderatorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Moderation_finalRatingId_fkey" FOREIGN KEY ("finalRatingId") REFERENCES "Rating" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RaterQualification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "raterId" TEXT NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "calibratedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "RaterQualification_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CalibrationRecording" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordingId" TEXT NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "referenceRatingId" TEXT,
    "markedById" TEXT NOT NULL,
    "markedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" DATETIME,
    CONSTRAINT "CalibrationRecording_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CalibrationRecording_referenceRatingId_fkey" FOREIGN KEY ("referenceRatingId") REFERENCES "Rating" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CalibrationRecording_markedById_fkey" FOREIGN KEY ("markedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RatingAssignment_recordingId_idx" ON "RatingAssignment"("recordingId");

-- CreateIndex
CREATE INDEX "RatingAssignment_raterId_withdrawnAt_idx" ON "RatingAssignment"("raterId", "withdrawnAt");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_assignmentId_key" ON "Rating"("assignmentId");

-- CreateIndex
CREATE INDEX "Rating_recordingId_kind_idx" ON "Rating"("recordingId", "kind");

-- CreateIndex
CREATE INDEX "Rating_raterId_kind_idx" ON "Rating"("raterId", "kind");

-- CreateIndex
CREATE INDEX "Rating_frameworkId_frameworkVersion_kind_status_idx" ON "Rating"("frameworkId", "frameworkVersion", "kind", "status");

-- CreateIndex
CREATE INDEX "ItemScore_recordingId_itemId_idx" ON "ItemScore"("recordingId", "itemId");

-- CreateIndex
CREATE INDEX "ItemScore_raterId_itemId_idx" ON "ItemScore"("raterId", "itemId");

-- CreateIndex
CREATE UNIQUE INDEX "ItemScore_ratingId_itemId_key" ON "ItemScore"("ratingId", "itemId");

-- CreateIndex
CREATE INDEX "TimedComment_ratingId_atSeconds_idx" ON "TimedComment"("ratingId", "atSeconds");

-- CreateIndex
CREATE INDEX "TimedComment_recordingId_releasedAt_idx" ON "TimedComment"("recordingId", "releasedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecordingAssessment_recordingId_key" ON "RecordingAssessment"("recordingId");

-- CreateIndex
CREATE UNIQUE INDEX "RecordingAssessment_finalRatingId_key" ON "RecordingAssessment"("finalRatingId");

-- CreateIndex
CREATE INDEX "RecordingAssessment_state_idx" ON "RecordingAssessment"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Moderation_assessmentId_key" ON "Moderation"("assessmentId");

-- CreateIndex
CREATE UNIQUE INDEX "Moderation_finalRatingId_key" ON "Moderation"("finalRatingId");

-- CreateIndex
CREATE INDEX "Moderation_settledAt_idx" ON "Moderation"("settledAt");

-- CreateIndex
CREATE UNIQUE INDEX "RaterQualification_raterId_frameworkId_frameworkVersion_key" ON "RaterQualification"("raterId", "frameworkId", "frameworkVersion");

-- CreateIndex
CREATE UNIQUE INDEX "CalibrationRecording_referenceRatingId_key" ON "CalibrationRecording"("referenceRatingId");

-- CreateIndex
CREATE UNIQUE INDEX "CalibrationRecording_recordingId_frameworkId_frameworkVersion_key" ON "CalibrationRecording"("recordingId", "frameworkId", "frameworkVersion");
