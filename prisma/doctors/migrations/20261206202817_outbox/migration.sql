-- CreateTable
CREATE TABLE "doctors"."outbox" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "aggregate_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "doctors"."outbox"("published_at", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "doctors"."outbox"("sequence");
