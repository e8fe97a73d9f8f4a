/**
 * The doctors subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts); payloads carry ids only.
 */
import { randomUUID } from "node:crypto";
import { outboxChannel } from "@clinigraph/events";
import type { Outbox } from "../domain/ports.js";
import type { Prisma } from "../data/prisma.js";

export const OUTBOX_CHANNEL = outboxChannel("doctors");

/** Written after the doctor's row is locked or written in the same transaction, so one doctor's events keep their order. */
export function createOutbox(tx: Prisma.TransactionClient): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await tx.outboxEvent.create({ data: { id: randomUUID(), aggregateId: payload.doctorId, type, payload: { ...payload }, occurredAt } });
      await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
    },
  };
}
