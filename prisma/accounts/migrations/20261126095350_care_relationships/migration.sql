-- CreateTable
CREATE TABLE "accounts"."care_relationships" (
    "doctor_user_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "care_relationships_pkey" PRIMARY KEY ("doctor_user_id","patient_id")
);

-- CreateTable
CREATE TABLE "accounts"."processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "care_relationships_patient_id_idx" ON "accounts"."care_relationships"("patient_id");
