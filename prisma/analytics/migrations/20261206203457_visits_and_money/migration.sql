-- CreateTable
CREATE TABLE "analytics"."visit_facts" (
    "encounter_key" TEXT NOT NULL,
    "appointment_key" TEXT,
    "patient_key" TEXT NOT NULL,
    "doctor_id" UUID NOT NULL,
    "specialty_code" TEXT,
    "location" TEXT,
    "visit_date" DATE NOT NULL,
    "registered_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "refused_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "visit_facts_pkey" PRIMARY KEY ("encounter_key")
);

-- CreateTable
CREATE TABLE "analytics"."examination_facts" (
    "examination_key" TEXT NOT NULL,
    "encounter_key" TEXT NOT NULL,
    "patient_key" TEXT NOT NULL,
    "doctor_id" UUID NOT NULL,
    "specialty_code" TEXT,
    "location" TEXT,
    "service_id" UUID NOT NULL,
    "service_code" TEXT,
    "visit_date" DATE NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL,
    "performed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "reviewed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "examination_facts_pkey" PRIMARY KEY ("examination_key")
);

-- CreateTable
CREATE TABLE "analytics"."invoice_facts" (
    "invoice_key" TEXT NOT NULL,
    "appointment_key" TEXT,
    "patient_key" TEXT NOT NULL,
    "doctor_id" UUID,
    "specialty_code" TEXT,
    "location" TEXT,
    "visit_date" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "total_minor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "voided" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "invoice_facts_pkey" PRIMARY KEY ("invoice_key")
);

-- CreateTable
CREATE TABLE "analytics"."payment_facts" (
    "payment_key" TEXT NOT NULL,
    "invoice_key" TEXT,
    "appointment_key" TEXT,
    "kind" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "cash_minor" INTEGER NOT NULL,
    "applied_minor" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_facts_pkey" PRIMARY KEY ("payment_key")
);

-- CreateIndex
CREATE INDEX "visit_facts_visit_date_idx" ON "analytics"."visit_facts"("visit_date");

-- CreateIndex
CREATE INDEX "examination_facts_visit_date_idx" ON "analytics"."examination_facts"("visit_date");

-- CreateIndex
CREATE INDEX "invoice_facts_visit_date_idx" ON "analytics"."invoice_facts"("visit_date");

-- CreateIndex
CREATE INDEX "payment_facts_invoice_key_idx" ON "analytics"."payment_facts"("invoice_key");

-- CreateIndex
CREATE INDEX "payment_facts_appointment_key_idx" ON "analytics"."payment_facts"("appointment_key");
