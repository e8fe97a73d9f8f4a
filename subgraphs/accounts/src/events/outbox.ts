/**
 * The accounts subgraph's transactional outbox: an event row written in the transaction of its change (a user
 * deactivated, reactivated, or given another role); the relay (index.ts) moves the rows to the bus, woken by the
 * NOTIFY sent at commit. Event types come from the catalogue (packages/events/src/catalogue.ts, STREAMS.accounts).
 */
import { randomUUID } from "node:crypto";
import { outboxChannel } from "@clinigraph/events";
import { currentTraceparent } from "@clinigraph/platform";
import type { Outbox } from "../domain/ports.js";
import type { Prisma } from "../data/prisma.js";

export const OUTBOX_CHANNEL = outboxChannel("accounts");

/** Written after the user's row is locked in the same transaction, so one user's events keep their order. */
export function createOutbox(tx: Prisma.TransactionClient): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await tx.outboxEvent.create({
        data: {
          id: randomUUID(),
          aggregateId: payload.userId,
          type,
          payload: { ...payload } as unknown as Prisma.InputJsonObject,
          occurredAt,
          traceparent: currentTraceparent() ?? null,
        },
      });
      await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
    },
  };
}
