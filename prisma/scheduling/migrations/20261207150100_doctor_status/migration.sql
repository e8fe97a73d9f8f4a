-- A deactivated doctor (doctors' DoctorDeactivated, or a snapshot with active false): no new slots or bookings.
ALTER TABLE "scheduling"."doctor_profiles" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true;

-- Ids of the events scheduling's consumers handled once (DoctorDeactivated flags upcoming appointments once).
CREATE TABLE "scheduling"."processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

CREATE INDEX "processed_events_processed_at_idx" ON "scheduling"."processed_events"("processed_at");
