-- CreateTable
CREATE TABLE "notifications"."appointments" (
    "appointment_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "doctor_user_id" UUID,
    "service_id" UUID,
    "status" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "appointments_pkey" PRIMARY KEY ("appointment_id")
);

-- CreateTable
CREATE TABLE "notifications"."deliveries" (
    "id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "recipient_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "appointment_id" UUID,
    "offset_minutes" INTEGER,
    "starts_at" TIMESTAMPTZ(3),
    "facts" JSONB NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "subject" TEXT,
    "provider_message_id" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications"."push_subscriptions" (
    "endpoint" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "p256dh" TEXT NOT NULL,
    "auth" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "push_subscriptions_pkey" PRIMARY KEY ("endpoint")
);

-- CreateTable
CREATE TABLE "notifications"."processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_dedupe_key_key" ON "notifications"."deliveries"("dedupe_key");

-- CreateIndex
CREATE INDEX "deliveries_status_due_at_idx" ON "notifications"."deliveries"("status", "due_at");

-- CreateIndex
CREATE INDEX "deliveries_recipient_id_created_at_id_idx" ON "notifications"."deliveries"("recipient_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "deliveries_appointment_id_idx" ON "notifications"."deliveries"("appointment_id");

-- CreateIndex
CREATE INDEX "push_subscriptions_user_id_idx" ON "notifications"."push_subscriptions"("user_id");
