-- CreateIndex
CREATE INDEX "processed_events_processed_at_idx" ON "accounts"."processed_events"("processed_at");
