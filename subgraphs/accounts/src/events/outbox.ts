/**
 * The accounts subgraph's transactional outbox: an event row written in the transaction of its change (a user
 * deactivated, reactivated, or given another role); the relay (index.ts) moves the rows to the bus, woken by the
 * NOTIFY sent at commit. Event types come from the catalogue (packages/events/src/catalogue.ts, STREAMS.accounts).
 */
import { writePrismaOutboxEvent } from "@clinigraph/events";
import type { Outbox } from "../domain/ports.js";
import type { Prisma } from "../data/prisma.js";

/** Written after the user's row is locked in the same transaction, so one user's events keep their order. */
export function createOutbox(tx: Prisma.TransactionClient): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await writePrismaOutboxEvent(tx, "accounts", { type, aggregateId: payload.userId, payload, occurredAt });
    },
  };
}
