-- Deactivating a doctor (ADMIN, or the doctor's user deactivated in accounts): an inactive doctor is hidden from the
-- public search and gets no new slots or bookings; the row, its history and `doctor(id)` stay.
ALTER TABLE "doctors"."doctors" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN "deactivation_reason" TEXT,
ADD COLUMN "status_changed_at" TIMESTAMPTZ(3);

-- Ids of the events doctors' consumers handled (accounts' UserDeactivated / UserReactivated): a redelivery is recognised.
CREATE TABLE "doctors"."processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

CREATE INDEX "processed_events_processed_at_idx" ON "doctors"."processed_events"("processed_at");
