-- CreateTable
CREATE TABLE "scheduling"."feedback_moderation" (
    "appointment_id" UUID NOT NULL,
    "hidden_at" TIMESTAMPTZ(3) NOT NULL,
    "hidden_by" UUID NOT NULL,
    "hidden_reason_enc" TEXT NOT NULL,

    CONSTRAINT "feedback_moderation_pkey" PRIMARY KEY ("appointment_id")
);

-- AddForeignKey
ALTER TABLE "scheduling"."feedback_moderation" ADD CONSTRAINT "feedback_moderation_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "scheduling"."appointments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: what Prisma's schema language cannot say. Feedback summaries (per doctor, per service, over a time
-- range) and comment lists (newest first, keyset pages) read only rated appointments: partial indexes over them,
-- carrying the rating, so a summary is an index-only scan of the rated rows whatever the number of appointments.
CREATE INDEX "appointments_feedback_by_doctor" ON "scheduling"."appointments" ("doctor_id", "feedback_at", "id")
  INCLUDE ("feedback_rating") WHERE "feedback_at" IS NOT NULL;
CREATE INDEX "appointments_feedback_by_service" ON "scheduling"."appointments" ("service_id", "feedback_at", "id")
  INCLUDE ("feedback_rating") WHERE "feedback_at" IS NOT NULL;
CREATE INDEX "appointments_feedback_by_time" ON "scheduling"."appointments" ("feedback_at", "id")
  INCLUDE ("feedback_rating", "doctor_id", "service_id") WHERE "feedback_at" IS NOT NULL;
