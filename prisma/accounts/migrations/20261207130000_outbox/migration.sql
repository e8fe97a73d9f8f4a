-- Accounts' transactional outbox (ADR 8), as the other subgraphs have it: UserDeactivated, UserReactivated and
-- UserRoleChanged are written in the transaction of the change; the relay publishes them on the accounts stream.
-- `traceparent`: the W3C trace context of the writing transaction (CloudEvents `traceparent`). Published rows are
-- pruned by the event housekeeping (ADR 26) by `published_at`.
CREATE TABLE "accounts"."outbox" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "aggregate_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "traceparent" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "accounts"."outbox"("published_at", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "accounts"."outbox"("sequence");
