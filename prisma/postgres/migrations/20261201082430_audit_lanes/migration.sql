-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "lane" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "AuditEvent_lane_id_idx" ON "AuditEvent"("lane", "id");
