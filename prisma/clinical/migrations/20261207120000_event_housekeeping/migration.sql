-- CreateIndex
CREATE INDEX "processed_events_processed_at_idx" ON "clinical"."processed_events"("processed_at");
