-- CreateEnum
CREATE TYPE "RaterRole" AS ENUM ('PRIMARY', 'SECOND');

-- CreateEnum
CREATE TYPE "RatingPurpose" AS ENUM ('SUMMATIVE', 'CALIBRATION');

-- CreateEnum
CREATE TYPE "RatingKind" AS ENUM ('PROVISIONAL', 'MODERATED', 'DERIVED', 'REFERENCE', 'CALIBRATION');

-- CreateEnum
CREATE TYPE "RatingStatus" AS ENUM ('DRAFT', 'SUBMITTED');

-- CreateEnum
CREATE TYPE "AssessmentState" AS ENUM ('RATING', 'MODERATION', 'FINAL');

-- CreateEnum
CREATE TYPE "FinalDecision" AS ENUM ('SINGLE', 'DERIVED', 'MODERATED');

-- CreateTable
CREATE TABLE "RatingAssignment" (
    "id" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "raterId" TEXT NOT NULL,
    "role" "RaterRole" NOT NULL,
    "purpose" "RatingPurpose" NOT NULL DEFAULT 'SUMMATIVE',
    "blind" BOOLEAN NOT NULL DEFAULT true,
    "assignedById" TEXT NOT NULL,
    "assignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "RatingAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT,
    "recordingId" TEXT NOT NULL,
    "raterId" TEXT,
    "kind" "RatingKind" NOT NULL,
    "status" "RatingStatus" NOT NULL DEFAULT 'DRAFT',
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "phase" TEXT,
    "overallFeedback" TEXT NOT NULL DEFAULT '',
    "mean" DOUBLE PRECISION,
    "competent" BOOLEAN,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3),

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ItemScore" (
    "id" TEXT NOT NULL,
    "ratingId" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "raterId" TEXT,
    "itemId" TEXT NOT NULL,
    "score" INTEGER,
    "notApplicable" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ItemScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimedComment" (
    "id" TEXT NOT NULL,
    "ratingId" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "atSeconds" DOUBLE PRECISION NOT NULL,
    "itemId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMP(3),

    CONSTRAINT "TimedComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordingAssessment" (
    "id" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "phase" TEXT,
    "secondRaterRequired" BOOLEAN NOT NULL,
    "state" "AssessmentState" NOT NULL DEFAULT 'RATING',
    "finalRatingId" TEXT,
    "decidedBy" "FinalDecision",
    "finalizedAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecordingAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Moderation" (
    "id" TEXT NOT NULL,
    "assessmentId" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "moderatorId" TEXT,
    "rationale" TEXT,
    "finalRatingId" TEXT,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "Moderation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RaterQualification" (
    "id" TEXT NOT NULL,
    "raterId" TEXT NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "calibratedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "RaterQualification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalibrationRecording" (
    "id" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "frameworkVersion" INTEGER NOT NULL,
    "referenceRatingId" TEXT,
    "markedById" TEXT NOT NULL,
    "markedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "CalibrationRecording_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "CalibrationRecording_recordingId_frameworkId_frameworkVersi_key" ON "CalibrationRecording"("recordingId", "frameworkId", "frameworkVersion");

-- AddForeignKey
ALTER TABLE "RatingAssignment" ADD CONSTRAINT "RatingAssignment_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingAssignment" ADD CONSTRAINT "RatingAssignment_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingAssignment" ADD CONSTRAINT "RatingAssignment_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "RatingAssignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemScore" ADD CONSTRAINT "ItemScore_ratingId_fkey" FOREIGN KEY ("ratingId") REFERENCES "Rating"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemScore" ADD CONSTRAINT "ItemScore_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemScore" ADD CONSTRAINT "ItemScore_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimedComment" ADD CONSTRAINT "TimedComment_ratingId_fkey" FOREIGN KEY ("ratingId") REFERENCES "Rating"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimedComment" ADD CONSTRAINT "TimedComment_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimedComment" ADD CONSTRAINT "TimedComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordingAssessment" ADD CONSTRAINT "RecordingAssessment_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordingAssessment" ADD CONSTRAINT "RecordingAssessment_finalRatingId_fkey" FOREIGN KEY ("finalRatingId") REFERENCES "Rating"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Moderation" ADD CONSTRAINT "Moderation_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "RecordingAssessment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Moderation" ADD CONSTRAINT "Moderation_moderatorId_fkey" FOREIGN KEY ("moderatorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Moderation" ADD CONSTRAINT "Moderation_finalRatingId_fkey" FOREIGN KEY ("finalRatingId") REFERENCES "Rating"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaterQualification" ADD CONSTRAINT "RaterQualification_raterId_fkey" FOREIGN KEY ("raterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationRecording" ADD CONSTRAINT "CalibrationRecording_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationRecording" ADD CONSTRAINT "CalibrationRecording_referenceRatingId_fkey" FOREIGN KEY ("referenceRatingId") REFERENCES "Rating"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalibrationRecording" ADD CONSTRAINT "CalibrationRecording_markedById_fkey" FOREIGN KEY ("markedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
