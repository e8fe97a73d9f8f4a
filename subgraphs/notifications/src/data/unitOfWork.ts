import { inTransaction } from "@clinigraph/platform";
import type { UnitOfWork } from "../domain/ports.js";
import { createOutbox } from "../events/outbox.js";
import { createTransactionAppointments } from "./appointmentStateRepository.js";
import { createTransactionDeliveries } from "./deliveryRepository.js";
import { findManyPreferences } from "./preferencesRepository.js";
import type { PrismaClient } from "./prisma.js";

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return {
    run: (work) =>
      inTransaction(prisma, (tx) =>
        work({
          outbox: createOutbox(tx),
          async markProcessed(consumer, eventId) {
            const { count } = await tx.processedEvent.createMany({ data: [{ consumer, eventId }], skipDuplicates: true });
            return count === 1;
          },
          appointments: createTransactionAppointments(tx),
          preferencesOf: (userIds) => findManyPreferences(tx, userIds),
          deliveries: createTransactionDeliveries(tx),
        }),
      ),
  };
}
