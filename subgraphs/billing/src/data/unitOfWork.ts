/**
 * The repositories of one transaction and the unit of work: one transaction per `run` (BEGIN … COMMIT on one pooled
 * connection), run again when PostgreSQL aborts it for a deadlock or a serialization failure (platform
 * `inTransaction`). Every statement is hand-written SQL over node-postgres (platform `Sql`); the transaction's
 * events are written in one statement just before COMMIT (events/outbox.ts).
 */
import { inTransaction, sqlTransactions, type Sql, type SqlConnection, type SqlPool } from "@clinigraph/platform";
import { claimEvent } from "@clinigraph/events";
import type { TransactionRepositories, UnitOfWork } from "../domain/ports.js";
import { createOutbox, type BillingOutbox } from "../events/outbox.js";
import { createTransactionAppointments } from "./appointmentRepository.js";
import { createTransactionInvoices, createTransactionPayments, createTransactionSessions } from "./invoiceRepository.js";
import { pricesInForce } from "./priceRepository.js";

/** One transaction's repositories; its outbox is written by `outbox.flush()`, which the unit of work calls before COMMIT. */
export function transactionRepositories(tx: Sql): TransactionRepositories & { outbox: BillingOutbox } {
  return {
    outbox: createOutbox(tx),
    markProcessed: (consumer, eventId) => claimEvent(tx, "billing", consumer, eventId),
    prices: { inForceMany: (serviceIds, day) => pricesInForce(tx, serviceIds, day) },
    appointments: createTransactionAppointments(tx),
    invoices: createTransactionInvoices(tx),
    payments: createTransactionPayments(tx),
    sessions: createTransactionSessions(tx),
    async markWebhook(provider, eventId, now) {
      const { rowCount } = await tx.query(
        `INSERT INTO billing.webhook_events (provider, event_id, received_at) VALUES ($1, $2, $3::timestamptz) ON CONFLICT DO NOTHING`,
        [provider, eventId, now],
      );
      return rowCount === 1;
    },
  };
}

export function createUnitOfWork(pool: SqlPool): UnitOfWork {
  const transactions = sqlTransactions(pool);
  return {
    run<T>(work: (tx: TransactionRepositories) => Promise<T>) {
      return inTransaction<SqlConnection, T>(transactions, async (tx) => {
        const repositories = transactionRepositories(tx);
        const result = await work(repositories);
        await repositories.outbox.flush();
        return result;
      });
    },
  };
}
