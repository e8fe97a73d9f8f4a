-- AlterTable
ALTER TABLE "billing"."payment_sessions" ADD COLUMN     "appointment_id" UUID,
ALTER COLUMN "invoice_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "billing"."payments" ADD COLUMN     "appointment_id" UUID,
ADD COLUMN     "credit_applied_minor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "credit_of" UUID,
ADD COLUMN     "credit_refunded_minor" INTEGER NOT NULL DEFAULT 0,
ALTER COLUMN "invoice_id" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "payments_patient_id_created_at_idx" ON "billing"."payments"("patient_id", "created_at");

-- CreateIndex
CREATE INDEX "payments_appointment_id_idx" ON "billing"."payments"("appointment_id");

-- A payment or session pays an invoice, or (a prepayment) an appointment ahead of its visit.
ALTER TABLE "billing"."payments" ADD CONSTRAINT "payments_pays_something" CHECK ("invoice_id" IS NOT NULL OR "appointment_id" IS NOT NULL);
ALTER TABLE "billing"."payment_sessions" ADD CONSTRAINT "payment_sessions_pay_something" CHECK ("invoice_id" IS NOT NULL OR "appointment_id" IS NOT NULL);
-- The credit a payment left is never spent twice.
ALTER TABLE "billing"."payments" ADD CONSTRAINT "payments_credit_within_bounds"
  CHECK ("credit_applied_minor" >= 0 AND "credit_refunded_minor" >= 0 AND "credit_applied_minor" + "credit_refunded_minor" <= "credit_minor");
