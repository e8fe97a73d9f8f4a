-- CreateTable
CREATE TABLE "scheduling"."pending_offers" (
    "slot_id" UUID NOT NULL,
    "freed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pending_offers_pkey" PRIMARY KEY ("slot_id")
);

-- CreateIndex
CREATE INDEX "pending_offers_freed_at_idx" ON "scheduling"."pending_offers"("freed_at");
