/**
 * Clinical's transactional outbox (the Outbox port): every state change writes its event in the same transaction;
 * the relay moves the rows to the bus, woken by the NOTIFY sent at commit. Payloads carry ids and statuses only.
 */
import { randomUUID } from "node:crypto";
import type { Tx } from "../data/prisma.js";
import type { Outbox } from "../domain/ports.js";
import { outboxChannel } from "@clinigraph/events";

export const OUTBOX_CHANNEL = outboxChannel("clinical");

export const createOutbox = (tx: Tx): Outbox => ({
  async append(type, payload, occurredAt) {
    await tx.outboxEvent.create({ data: { id: randomUUID(), aggregateId: payload.encounterId, type, payload: { ...payload }, occurredAt } });
    await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
  },
});
