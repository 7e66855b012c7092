-- Hand-written instead of Prisma's table redefinition, which would drop the
-- append-only triggers with the old table (ADR 0014). Existing rows are lane 0:
-- their chain is the one they always were.
ALTER TABLE "AuditEvent" ADD COLUMN "lane" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "AuditEvent_lane_id_idx" ON "AuditEvent"("lane", "id");
