/**
 * Catalogue events in doctors' outbox: MedicalServiceChanged and SpecialtyChanged, written in the transaction of the
 * change (aggregate: the entry; the entry's row is locked, so one entry's events keep their order). The relay
 * publishes them on the doctors stream with the doctors' other events.
 */
import { randomUUID } from "node:crypto";
import { currentTraceparent } from "@clinigraph/platform";
import type { Prisma } from "../data/prisma.js";
import type { CatalogueEvents } from "../domain/ports.js";
import { OUTBOX_CHANNEL } from "./outbox.js";

export function createCatalogueEvents(tx: Prisma.TransactionClient): CatalogueEvents {
  const append = async (type: string, aggregateId: string, payload: object, occurredAt: Date) => {
    await tx.outboxEvent.create({
      data: {
        id: randomUUID(),
        aggregateId,
        type,
        payload: payload as Prisma.InputJsonObject,
        occurredAt,
        traceparent: currentTraceparent() ?? null,
      },
    });
    await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
  };
  return {
    serviceChanged: (payload, occurredAt) => append("MedicalServiceChanged", payload.serviceId, payload, occurredAt),
    specialtyChanged: (payload, occurredAt) => append("SpecialtyChanged", payload.specialtyId, payload, occurredAt),
  };
}
