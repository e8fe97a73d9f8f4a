-- CreateTable
CREATE TABLE "notifications"."preferences" (
    "user_id" UUID NOT NULL,
    "language" TEXT NOT NULL,
    "channels" TEXT[],
    "reminder_offsets_minutes" INTEGER[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "preferences_pkey" PRIMARY KEY ("user_id")
);
