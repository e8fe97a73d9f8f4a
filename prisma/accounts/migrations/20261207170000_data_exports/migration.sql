-- CreateTable
CREATE TABLE "accounts"."data_exports" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "requested_by" UUID NOT NULL,
    "requested_role" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_at" TIMESTAMPTZ(3),
    "claim_token" UUID,
    "last_error" TEXT,
    "ready_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "json_enc" TEXT,
    "purged_at" TIMESTAMPTZ(3),

    CONSTRAINT "data_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "data_exports_patient_id_requested_at_idx" ON "accounts"."data_exports"("patient_id", "requested_at");

-- CreateIndex
CREATE INDEX "data_exports_status_next_attempt_at_idx" ON "accounts"."data_exports"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "data_exports_expires_at_idx" ON "accounts"."data_exports"("expires_at");

-- Hand-written: at most one PENDING export per patient (a second request finds the first).
CREATE UNIQUE INDEX "data_exports_one_pending_per_patient" ON "accounts"."data_exports"("patient_id") WHERE "status" = 'PENDING';

-- Hand-written: the statuses the API knows.
ALTER TABLE "accounts"."data_exports" ADD CONSTRAINT "data_exports_status_check" CHECK ("status" IN ('PENDING', 'READY', 'FAILED'));
