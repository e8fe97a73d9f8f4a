-- The W3C trace context of the transaction that wrote each event: the relay puts it on the event (CloudEvents
-- `traceparent`), so that consumers join the trace of the request that caused it.
ALTER TABLE "analytics"."outbox" ADD COLUMN "traceparent" TEXT;
