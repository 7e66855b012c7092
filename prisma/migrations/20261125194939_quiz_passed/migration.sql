-- AlterTable
ALTER TABLE "ModuleProgress" ADD COLUMN "quizPassedAt" DATETIME;
