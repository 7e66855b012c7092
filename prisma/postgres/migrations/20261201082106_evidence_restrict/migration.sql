-- DropForeignKey
ALTER TABLE "CohortMember" DROP CONSTRAINT "CohortMember_cohortId_fkey";

-- DropForeignKey
ALTER TABLE "CohortMember" DROP CONSTRAINT "CohortMember_supervisorId_fkey";

-- DropForeignKey
ALTER TABLE "CohortMember" DROP CONSTRAINT "CohortMember_userId_fkey";

-- DropForeignKey
ALTER TABLE "ModuleProgress" DROP CONSTRAINT "ModuleProgress_userId_fkey";

-- DropForeignKey
ALTER TABLE "QuizAttempt" DROP CONSTRAINT "QuizAttempt_userId_fkey";

-- DropForeignKey
ALTER TABLE "QuizMark" DROP CONSTRAINT "QuizMark_attemptId_fkey";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "anonymisedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_idx" ON "AuditEvent"("actorId");

-- AddForeignKey
ALTER TABLE "CohortMember" ADD CONSTRAINT "CohortMember_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CohortMember" ADD CONSTRAINT "CohortMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CohortMember" ADD CONSTRAINT "CohortMember_supervisorId_fkey" FOREIGN KEY ("supervisorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModuleProgress" ADD CONSTRAINT "ModuleProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuizAttempt" ADD CONSTRAINT "QuizAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuizMark" ADD CONSTRAINT "QuizMark_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "QuizAttempt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (ADR 0013): AuditEvent names people in "actorId" and
-- "subjectId" without a foreign key ("subjectId" may also name a cohort or an
-- attempt), so this trigger is their ON DELETE RESTRICT. People are
-- anonymised, never deleted. Semicolons in the body are spelled \073 (see the
-- init migration).
CREATE FUNCTION "user_no_delete_with_audit_events"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN IF EXISTS (SELECT 1 FROM "AuditEvent" WHERE "actorId" = OLD."id" OR "subjectId" = OLD."id") THEN RAISE EXCEPTION ''User is named in the audit log: anonymise instead of deleting''\073 END IF\073 RETURN OLD\073 END\073';

CREATE TRIGGER "User_no_delete_with_audit_events" BEFORE DELETE ON "User"
    FOR EACH ROW EXECUTE FUNCTION "user_no_delete_with_audit_events"();
