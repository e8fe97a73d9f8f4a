/**
 * The billing subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts); payloads carry ids and statuses, never personal data.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "@clinigraph/platform";
import { outboxChannel } from "@clinigraph/events";
import type { Outbox } from "../domain/ports.js";

export const OUTBOX_CHANNEL = outboxChannel("billing");

/** The outbox of one transaction: `append` keeps the events; `flush` writes them before the transaction commits. */
export interface TransactionOutbox extends Outbox {
  flush(): Promise<void>;
}

/**
 * The outbox of one transaction. Events are kept as they are appended and written by `flush`, which the unit of work
 * calls once, just before COMMIT: all of the transaction's events in one statement, in the order they were appended
 * (the relay publishes by sequence), which also wakes the relay. Nothing in a transaction reads the outbox, so writing
 * it last changes nothing but the number of round trips; a failing write still rolls the whole transaction back (an
 * issued invoice's number included).
 */
export function createOutbox(tx: Sql): TransactionOutbox {
  let pending: { type: string; payload: { id: string } & Record<string, unknown>; occurredAt: Date }[] = [];
  return {
    async append(type, payload, occurredAt) {
      pending.push({ type, payload, occurredAt });
    },
    async flush() {
      if (pending.length === 0) return;
      const events = pending;
      pending = [];
      await tx.query(
        `WITH appended AS (
           INSERT INTO billing.outbox (id, aggregate_id, type, payload, occurred_at)
           SELECT e.id, e.aggregate_id, e.type, e.payload, e.occurred_at
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[]) WITH ORDINALITY
               AS e(id, aggregate_id, type, payload, occurred_at, ord)
            ORDER BY e.ord
           RETURNING 1)
         SELECT pg_notify($6, '') WHERE EXISTS (SELECT 1 FROM appended)`,
        [
          events.map(() => randomUUID()),
          events.map((e) => e.payload.id),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.payload)),
          events.map((e) => e.occurredAt),
          OUTBOX_CHANNEL,
        ],
      );
    },
  };
}
