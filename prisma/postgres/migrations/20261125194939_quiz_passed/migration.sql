-- AlterTable
ALTER TABLE "ModuleProgress" ADD COLUMN     "quizPassedAt" TIMESTAMP(3);
