/**
 * The repositories over one connection pool (`createRepositories`) or one transaction's connection, and the unit of
 * work: one transaction per `run` (BEGIN … COMMIT on one pooled connection), run again when PostgreSQL aborts it for
 * a deadlock or a serialization failure (platform `inTransaction`). Every statement is hand-written SQL over
 * node-postgres (platform `Sql`): a booking is a handful of statements, without a query engine in between.
 */
import { inTransaction, sqlTransactions, type Sql, type SqlConnection, type SqlPool } from "@clinigraph/platform";
import { claimEvent } from "@clinigraph/events";
import type { Locks, Repositories, TxRepositories, UnitOfWork } from "../domain/ports.js";
import { createOutbox, type SchedulingOutbox } from "../events/outbox.js";
import { createAppointmentRepository } from "./appointmentRepository.js";
import { createDoctorProfileRepository } from "./doctorProfileRepository.js";
import { createFeedbackRepository } from "./feedbackRepository.js";
import { createHistoryRepository } from "./historyRepository.js";
import type { CipherSource } from "./mappers.js";
import { createSlotRepository } from "./slotRepository.js";
import { createPendingOfferRepository, createWaitlistRepository } from "./waitlistRepository.js";

export function createRepositories(db: Sql, cipher: CipherSource): Repositories {
  return {
    appointments: createAppointmentRepository(db, cipher),
    feedback: createFeedbackRepository(db, cipher),
    slots: createSlotRepository(db, cipher),
    profiles: createDoctorProfileRepository(db),
    waitlist: createWaitlistRepository(db),
    pendingOffers: createPendingOfferRepository(db),
    history: createHistoryRepository(db, cipher),
  };
}

/** Advisory locks held until the transaction ends. */
export function createLocks(tx: Sql): Locks {
  const lock = async (key: string) => void (await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]));
  return {
    /** Serialises one patient's bookings, so per-patient limits hold under concurrency. */
    patient: (patientId) => lock(`patient:${patientId}`),
    /** Serialises the syncs of one doctor's schedule. */
    doctor: (doctorId) => lock(`doctor:${doctorId}`),
  };
}

/** One transaction's repositories; its outbox is written by `outbox.flush()`, which the unit of work calls before COMMIT. */
export function transactionRepositories(tx: Sql, cipher: CipherSource): TxRepositories & { outbox: SchedulingOutbox } {
  return {
    ...createRepositories(tx, cipher),
    locks: createLocks(tx),
    outbox: createOutbox(tx),
    processedEvents: { claim: (consumer, eventId) => claimEvent(tx, "scheduling", consumer, eventId) },
  };
}

export function createUnitOfWork(pool: SqlPool, cipher: CipherSource): UnitOfWork {
  const transactions = sqlTransactions(pool);
  return {
    run<T>(work: (tx: TxRepositories) => Promise<T>) {
      return inTransaction<SqlConnection, T>(transactions, async (tx) => {
        const repositories = transactionRepositories(tx, cipher);
        const result = await work(repositories);
        await repositories.outbox.flush();
        return result;
      });
    },
  };
}
