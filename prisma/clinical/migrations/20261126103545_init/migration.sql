-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "clinical";

-- CreateEnum
CREATE TYPE "clinical"."EncounterStatus" AS ENUM ('ARRIVED', 'IN_PROGRESS', 'FINISHED', 'REFUSED');

-- CreateEnum
CREATE TYPE "clinical"."ExaminationStatus" AS ENUM ('ORDERED', 'PERFORMED', 'CANCELLED', 'REVIEWED');

-- CreateEnum
CREATE TYPE "clinical"."RecordStatus" AS ENUM ('DRAFT', 'SIGNED', 'AMENDED');

-- CreateEnum
CREATE TYPE "clinical"."BoardState" AS ENUM ('WAITING', 'WITH_DOCTOR', 'AT_EXAMINATION', 'AWAITING_REVIEW', 'FINISHED', 'REFUSED', 'CONFIRMED');

-- CreateTable
CREATE TABLE "clinical"."encounters" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "doctor_user_id" UUID NOT NULL,
    "appointment_id" UUID,
    "status" "clinical"."EncounterStatus" NOT NULL,
    "arrived_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "summary_enc" TEXT,
    "refusal_reason_enc" TEXT,
    "outcome_confirmed_at" TIMESTAMPTZ(3),
    "outcome_confirmed_by" UUID,
    "registered_by" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "encounters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clinical"."examinations" (
    "id" UUID NOT NULL,
    "encounter_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "status" "clinical"."ExaminationStatus" NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL,
    "ordered_by" UUID NOT NULL,
    "performed_at" TIMESTAMPTZ(3),
    "performed_by" UUID,
    "result_enc" TEXT,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancelled_by" UUID,
    "cancel_reason_enc" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "examinations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clinical"."record_entries" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "encounter_id" UUID,
    "author_id" UUID NOT NULL,
    "current_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "record_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clinical"."record_versions" (
    "id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "clinical"."RecordStatus" NOT NULL,
    "complaints_enc" TEXT,
    "diagnosis_code" TEXT,
    "diagnosis_enc" TEXT,
    "prescriptions_enc" TEXT,
    "notes_enc" TEXT,
    "amend_reason_enc" TEXT,
    "author_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "signed_at" TIMESTAMPTZ(3),

    CONSTRAINT "record_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clinical"."care_relationships" (
    "doctor_user_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "care_relationships_pkey" PRIMARY KEY ("doctor_user_id","patient_id")
);

-- CreateTable
CREATE TABLE "clinical"."processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "clinical"."exam_worklist" (
    "examination_id" UUID NOT NULL,
    "encounter_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "status" "clinical"."ExaminationStatus" NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "exam_worklist_pkey" PRIMARY KEY ("examination_id")
);

-- CreateTable
CREATE TABLE "clinical"."board_entries" (
    "encounter_id" UUID NOT NULL,
    "appointment_id" UUID,
    "day" DATE NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "state" "clinical"."BoardState" NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "arrived_at" TIMESTAMPTZ(3) NOT NULL,
    "pending_exams" INTEGER NOT NULL DEFAULT 0,
    "unreviewed" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "board_entries_pkey" PRIMARY KEY ("encounter_id")
);

-- CreateTable
CREATE TABLE "clinical"."outbox" (
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
CREATE UNIQUE INDEX "encounters_appointment_id_key" ON "clinical"."encounters"("appointment_id");

-- CreateIndex
CREATE INDEX "encounters_doctor_id_arrived_at_idx" ON "clinical"."encounters"("doctor_id", "arrived_at");

-- CreateIndex
CREATE INDEX "encounters_patient_id_arrived_at_idx" ON "clinical"."encounters"("patient_id", "arrived_at");

-- CreateIndex
CREATE INDEX "encounters_arrived_at_idx" ON "clinical"."encounters"("arrived_at");

-- CreateIndex
CREATE INDEX "examinations_encounter_id_idx" ON "clinical"."examinations"("encounter_id");

-- CreateIndex
CREATE INDEX "examinations_patient_id_idx" ON "clinical"."examinations"("patient_id");

-- CreateIndex
CREATE INDEX "examinations_status_ordered_at_idx" ON "clinical"."examinations"("status", "ordered_at");

-- CreateIndex
CREATE INDEX "record_entries_patient_id_created_at_idx" ON "clinical"."record_entries"("patient_id", "created_at");

-- CreateIndex
CREATE INDEX "record_entries_encounter_id_idx" ON "clinical"."record_entries"("encounter_id");

-- CreateIndex
CREATE UNIQUE INDEX "record_versions_entry_id_version_key" ON "clinical"."record_versions"("entry_id", "version");

-- CreateIndex
CREATE INDEX "care_relationships_patient_id_idx" ON "clinical"."care_relationships"("patient_id");

-- CreateIndex
CREATE INDEX "exam_worklist_status_ordered_at_idx" ON "clinical"."exam_worklist"("status", "ordered_at");

-- CreateIndex
CREATE INDEX "board_entries_day_arrived_at_idx" ON "clinical"."board_entries"("day", "arrived_at");

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "clinical"."outbox"("published_at", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "clinical"."outbox"("sequence");

-- AddForeignKey
ALTER TABLE "clinical"."examinations" ADD CONSTRAINT "examinations_encounter_id_fkey" FOREIGN KEY ("encounter_id") REFERENCES "clinical"."encounters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clinical"."record_entries" ADD CONSTRAINT "record_entries_encounter_id_fkey" FOREIGN KEY ("encounter_id") REFERENCES "clinical"."encounters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clinical"."record_versions" ADD CONSTRAINT "record_versions_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "clinical"."record_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Signed record versions are immutable: corrections are new AMENDED versions (ARCHITECTURE §6). The one
-- exception is key rotation (`pnpm phi:rotate`), which sets `clinigraph.reencrypt` for its transaction and
-- may only re-seal the *_enc columns (the same plain text under the active key).
CREATE FUNCTION "clinical".refuse_signed_record_change() RETURNS trigger AS $$
BEGIN
  IF OLD.signed_at IS NULL THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'UPDATE' AND current_setting('clinigraph.reencrypt', true) = 'on'
     AND NEW.id = OLD.id AND NEW.entry_id = OLD.entry_id AND NEW.version = OLD.version AND NEW.status = OLD.status
     AND NEW.diagnosis_code IS NOT DISTINCT FROM OLD.diagnosis_code AND NEW.author_id = OLD.author_id
     AND NEW.created_at = OLD.created_at AND NEW.updated_at = OLD.updated_at AND NEW.signed_at = OLD.signed_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'signed record versions are immutable (entry %, version %)', OLD.entry_id, OLD.version
    USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER record_versions_signed_immutable
  BEFORE UPDATE OR DELETE ON "clinical"."record_versions"
  FOR EACH ROW EXECUTE FUNCTION "clinical".refuse_signed_record_change();
