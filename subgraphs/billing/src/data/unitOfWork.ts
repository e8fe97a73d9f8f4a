import { inTransaction } from "@clinigraph/platform";
import type { UnitOfWork } from "../domain/ports.js";
import { createOutbox } from "../events/outbox.js";
import { createTransactionAppointments } from "./appointmentRepository.js";
import { createTransactionInvoices, createTransactionPayments, createTransactionSessions } from "./invoiceRepository.js";
import { pricesInForce } from "./priceRepository.js";
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
          prices: { inForceMany: (serviceIds, day) => pricesInForce(tx, serviceIds, day) },
          appointments: createTransactionAppointments(tx),
          invoices: createTransactionInvoices(tx),
          payments: createTransactionPayments(tx),
          sessions: createTransactionSessions(tx),
          async markWebhook(provider, eventId, now) {
            const { count } = await tx.webhookEvent.createMany({ data: [{ provider, eventId, receivedAt: now }], skipDuplicates: true });
            return count === 1;
          },
        }),
      ),
  };
}
