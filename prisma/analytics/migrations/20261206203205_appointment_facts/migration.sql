-- CreateTable
CREATE TABLE "analytics"."appointment_facts" (
    "appointment_key" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "source_id" TEXT,
    "patient_key" TEXT,
    "doctor_id" UUID,
    "specialty_code" TEXT,
    "service_id" UUID,
    "service_code" TEXT,
    "location" TEXT,
    "visit_date" DATE NOT NULL,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "requested_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),
    "booked_at" TIMESTAMPTZ(3),
    "checked_in_at" TIMESTAMPTZ(3),
    "needs_approval" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL,
    "status_at" TIMESTAMPTZ(3) NOT NULL,
    "status_rank" INTEGER NOT NULL,
    "status_event_id" TEXT NOT NULL,
    "rating" INTEGER,
    "amount_minor" INTEGER,
    "currency" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "appointment_facts_pkey" PRIMARY KEY ("appointment_key")
);

-- CreateTable
CREATE TABLE "analytics"."processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "appointment_facts_source_id_key" ON "analytics"."appointment_facts"("source_id");

-- CreateIndex
CREATE INDEX "appointment_facts_visit_date_idx" ON "analytics"."appointment_facts"("visit_date");

-- CreateIndex
CREATE INDEX "appointment_facts_doctor_id_visit_date_idx" ON "analytics"."appointment_facts"("doctor_id", "visit_date");
