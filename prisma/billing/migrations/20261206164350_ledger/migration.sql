-- CreateTable
CREATE TABLE "billing"."service_prices" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "amount_minor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "tax_rate_bp" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "set_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "service_prices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."appointments" (
    "appointment_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "service_id" UUID,
    "status" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "appointments_pkey" PRIMARY KEY ("appointment_id")
);

-- CreateTable
CREATE TABLE "billing"."invoices" (
    "id" UUID NOT NULL,
    "number" TEXT,
    "status" TEXT NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "encounter_id" UUID,
    "appointment_id" UUID,
    "currency" TEXT NOT NULL,
    "visit_date" DATE NOT NULL,
    "net_minor" INTEGER NOT NULL DEFAULT 0,
    "tax_minor" INTEGER NOT NULL DEFAULT 0,
    "total_minor" INTEGER NOT NULL DEFAULT 0,
    "paid_minor" INTEGER NOT NULL DEFAULT 0,
    "issued_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."invoice_lines" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "source_key" TEXT NOT NULL,
    "service_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_minor" INTEGER,
    "tax_rate_bp" INTEGER,
    "net_minor" INTEGER,
    "tax_minor" INTEGER,
    "total_minor" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."invoice_sequences" (
    "year" INTEGER NOT NULL,
    "last_number" INTEGER NOT NULL,

    CONSTRAINT "invoice_sequences_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "billing"."payments" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "invoice_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount_minor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "credit_minor" INTEGER NOT NULL DEFAULT 0,
    "refunded_minor" INTEGER NOT NULL DEFAULT 0,
    "refund_of" UUID,
    "recorded_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "service_prices_service_id_effective_from_created_at_idx" ON "billing"."service_prices"("service_id", "effective_from" DESC, "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_key" ON "billing"."invoices"("number");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_encounter_id_key" ON "billing"."invoices"("encounter_id");

-- CreateIndex
CREATE INDEX "invoices_patient_id_created_at_id_idx" ON "billing"."invoices"("patient_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "invoices_status_created_at_idx" ON "billing"."invoices"("status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "invoices_appointment_id_idx" ON "billing"."invoices"("appointment_id");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_lines_source_key_key" ON "billing"."invoice_lines"("source_key");

-- CreateIndex
CREATE INDEX "invoice_lines_invoice_id_idx" ON "billing"."invoice_lines"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_idempotency_key_key" ON "billing"."payments"("idempotency_key");

-- CreateIndex
CREATE INDEX "payments_invoice_id_created_at_idx" ON "billing"."payments"("invoice_id", "created_at");

-- AddForeignKey
ALTER TABLE "billing"."invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
