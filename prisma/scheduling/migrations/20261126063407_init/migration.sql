-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "scheduling";

-- CreateEnum
CREATE TYPE "scheduling"."SlotStatus" AS ENUM ('FREE', 'BUSY', 'BLOCKED');

-- CreateEnum
CREATE TYPE "scheduling"."AppointmentStatus" AS ENUM ('PENDING', 'BOOKED', 'REJECTED', 'CHECKED_IN', 'FULFILLED', 'CANCELLED', 'NO_SHOW', 'EXPIRED');

-- CreateEnum
CREATE TYPE "scheduling"."WaitlistStatus" AS ENUM ('WAITING', 'OFFERED', 'CANCELLED');

-- CreateTable
CREATE TABLE "scheduling"."doctor_profiles" (
    "doctor_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "auto_approve" BOOLEAN NOT NULL,
    "specialty_code" TEXT NOT NULL,
    "location" TEXT,
    "service_ids" UUID[],
    "rules" JSONB NOT NULL,
    "time_off" JSONB NOT NULL,
    "version" TEXT NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "doctor_profiles_pkey" PRIMARY KEY ("doctor_id")
);

-- CreateTable
CREATE TABLE "scheduling"."slots" (
    "id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "scheduling"."SlotStatus" NOT NULL,
    "specialty_code" TEXT NOT NULL,
    "location" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduling"."appointments" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "service_id" UUID,
    "slot_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "scheduling"."AppointmentStatus" NOT NULL,
    "reason" TEXT,
    "hold_expires_at" TIMESTAMPTZ(3),
    "overbooked" BOOLEAN NOT NULL DEFAULT false,
    "needs_attention" BOOLEAN NOT NULL DEFAULT false,
    "feedback_rating" INTEGER,
    "feedback_comment" TEXT,
    "feedback_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "appointments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduling"."appointment_changes" (
    "id" UUID NOT NULL,
    "appointment_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" UUID,
    "actor_role" TEXT,
    "action" TEXT NOT NULL,
    "from_status" "scheduling"."AppointmentStatus",
    "to_status" "scheduling"."AppointmentStatus" NOT NULL,
    "from_starts_at" TIMESTAMPTZ(3),
    "to_starts_at" TIMESTAMPTZ(3),
    "reason" TEXT,

    CONSTRAINT "appointment_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduling"."waitlist_entries" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID,
    "service_id" UUID,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "to_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "scheduling"."WaitlistStatus" NOT NULL,
    "offered_appointment_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "waitlist_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduling"."outbox" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "aggregate_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "doctor_profiles_user_id_idx" ON "scheduling"."doctor_profiles"("user_id");

-- CreateIndex
CREATE INDEX "slots_doctor_id_status_starts_at_idx" ON "scheduling"."slots"("doctor_id", "status", "starts_at");

-- CreateIndex
CREATE INDEX "slots_specialty_code_status_starts_at_idx" ON "scheduling"."slots"("specialty_code", "status", "starts_at");

-- CreateIndex
CREATE INDEX "slots_status_starts_at_idx" ON "scheduling"."slots"("status", "starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "slots_doctor_id_starts_at_key" ON "scheduling"."slots"("doctor_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_patient_id_starts_at_idx" ON "scheduling"."appointments"("patient_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_doctor_id_starts_at_idx" ON "scheduling"."appointments"("doctor_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_status_hold_expires_at_idx" ON "scheduling"."appointments"("status", "hold_expires_at");

-- CreateIndex
CREATE INDEX "appointment_changes_appointment_id_at_idx" ON "scheduling"."appointment_changes"("appointment_id", "at");

-- CreateIndex
CREATE INDEX "waitlist_entries_status_created_at_idx" ON "scheduling"."waitlist_entries"("status", "created_at");

-- CreateIndex
CREATE INDEX "waitlist_entries_patient_id_idx" ON "scheduling"."waitlist_entries"("patient_id");

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "scheduling"."outbox"("published_at", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "scheduling"."outbox"("sequence");

-- AddForeignKey
ALTER TABLE "scheduling"."appointment_changes" ADD CONSTRAINT "appointment_changes_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "scheduling"."appointments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
