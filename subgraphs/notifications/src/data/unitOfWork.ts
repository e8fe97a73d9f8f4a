/**
 * The unit of work: one transaction per `run` (BEGIN … COMMIT on one pooled connection), run again when PostgreSQL
 * aborts it for a deadlock or a serialization failure (platform `inTransaction`), with the repositories bound to it.
 * Every statement is hand-written SQL over node-postgres (platform `Sql`).
 */
import { inTransaction, sqlTransactions, type Sql, type SqlConnection, type SqlPool } from "@clinigraph/platform";
import { claimEvent } from "@clinigraph/events";
import type { TransactionRepositories, UnitOfWork } from "../domain/ports.js";
import { createOutbox } from "../events/outbox.js";
import { createAppointmentEventBlocks } from "./appointmentEvents.js";
import { createTransactionDeliveries } from "./deliveryRepository.js";
import { findManyPreferences } from "./preferencesRepository.js";

export function transactionRepositories(tx: Sql): TransactionRepositories {
  return {
    outbox: createOutbox(tx),
    markProcessed: (consumer, eventId) => claimEvent(tx, "notifications", consumer, eventId),
    preferencesOf: (userIds) => findManyPreferences(tx, userIds),
    deliveries: createTransactionDeliveries(tx),
    appointmentEvents: createAppointmentEventBlocks(tx),
  };
}

export function createUnitOfWork(pool: SqlPool): UnitOfWork {
  const transactions = sqlTransactions(pool);
  return {
    run<T>(work: (tx: TransactionRepositories) => Promise<T>) {
      return inTransaction<SqlConnection, T>(transactions, (tx) => work(transactionRepositories(tx)));
    },
  };
}
