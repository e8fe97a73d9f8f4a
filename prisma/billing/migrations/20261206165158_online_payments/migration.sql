-- AlterTable
ALTER TABLE "billing"."payments" ADD COLUMN     "provider_ref" TEXT,
ADD COLUMN     "reason" TEXT;

-- CreateTable
CREATE TABLE "billing"."payment_sessions" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "invoice_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_ref" TEXT,
    "amount_minor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "checkout_url" TEXT,
    "client_secret" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."webhook_events" (
    "provider" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("provider","event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_sessions_idempotency_key_key" ON "billing"."payment_sessions"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "payment_sessions_provider_ref_key" ON "billing"."payment_sessions"("provider_ref");

-- CreateIndex
CREATE INDEX "payment_sessions_invoice_id_idx" ON "billing"."payment_sessions"("invoice_id");
