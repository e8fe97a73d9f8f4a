-- CreateTable
CREATE TABLE "analytics"."supply_facts" (
    "doctor_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "specialty_code" TEXT,
    "location" TEXT,
    "offered_minutes" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "supply_facts_pkey" PRIMARY KEY ("doctor_id","day")
);

-- CreateIndex
CREATE INDEX "supply_facts_day_idx" ON "analytics"."supply_facts"("day");
