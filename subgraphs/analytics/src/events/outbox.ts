/**
 * The analytics subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts); payloads carry ids and statuses, never personal data.
 */
import { writePrismaOutboxEvent } from "@clinigraph/events";
import type { Outbox } from "../domain/ports.js";
import type { Tx } from "../data/prisma.js";

export function createOutbox(tx: Tx): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await writePrismaOutboxEvent(tx, "analytics", { type, aggregateId: payload.id, payload, occurredAt });
    },
  };
}
