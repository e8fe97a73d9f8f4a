/**
 * The analytics subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts); payloads carry ids and statuses, never personal data.
 */
import { randomUUID } from "node:crypto";
import { outboxChannel } from "@clinigraph/events";
import { currentTraceparent } from "@clinigraph/platform";
import type { Outbox } from "../domain/ports.js";
import type { Prisma, Tx } from "../data/prisma.js";

export const OUTBOX_CHANNEL = outboxChannel("analytics");

export function createOutbox(tx: Tx): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await tx.outboxEvent.create({
        data: {
          id: randomUUID(),
          aggregateId: payload.id,
          type,
          payload: payload as Prisma.InputJsonObject,
          occurredAt,
          traceparent: currentTraceparent() ?? null,
        },
      });
      await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
    },
  };
}
