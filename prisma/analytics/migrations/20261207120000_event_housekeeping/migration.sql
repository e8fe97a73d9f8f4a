-- AlterTable
ALTER TABLE "analytics"."processed_events" ADD COLUMN     "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "processed_events_processed_at_idx" ON "analytics"."processed_events"("processed_at");
