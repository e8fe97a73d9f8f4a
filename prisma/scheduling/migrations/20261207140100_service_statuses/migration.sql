-- Scheduling's projection of the medical services catalogue: which services are RETIRED (no longer bookable), fed
-- by doctors' MedicalServiceChanged events. changed_at is the event's time (null: the status was looked up from the
-- doctors subgraph for a service no event had told of yet; any event overrides such a row).
-- CreateTable
CREATE TABLE "scheduling"."service_statuses" (
    "service_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_statuses_pkey" PRIMARY KEY ("service_id")
);

ALTER TABLE "scheduling"."service_statuses" ADD CONSTRAINT "service_statuses_status_check" CHECK ("status" IN ('ACTIVE', 'RETIRED'));
