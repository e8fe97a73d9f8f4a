/**
 * The notifications subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts); payloads carry ids and statuses, never personal data.
 */
import { randomUUID } from "node:crypto";
import { currentTraceparent, type Sql } from "@clinigraph/platform";
import { outboxChannel } from "@clinigraph/events";
import type { Outbox } from "../domain/ports.js";

export const OUTBOX_CHANNEL = outboxChannel("notifications");

/** The event and the relay's wake-up in one statement (PostgreSQL delivers the NOTIFY when the transaction commits). */
export function createOutbox(tx: Sql): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await tx.query(
        `WITH appended AS (
           INSERT INTO notifications.outbox (id, aggregate_id, type, payload, occurred_at, traceparent) VALUES ($1, $2, $3, $4, $5, $7) RETURNING 1)
         SELECT pg_notify($6, '') FROM appended`,
        [randomUUID(), payload.id, type, JSON.stringify(payload), occurredAt, OUTBOX_CHANNEL, currentTraceparent() ?? null],
      );
    },
  };
}
