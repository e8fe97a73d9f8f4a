/**
 * The repositories over one Prisma client (`createRepositories`) or one transaction, and the unit of work: one
 * interactive transaction per `run`, run again when PostgreSQL aborts it for a deadlock or a serialization failure
 * (platform `inTransaction`).
 */
import { inTransaction } from "@clinigraph/platform";
import type { Locks, Repositories, TxRepositories, UnitOfWork } from "../domain/ports.js";
import { createOutbox } from "../events/outbox.js";
import { createAppointmentRepository } from "./appointmentRepository.js";
import { createDoctorProfileRepository } from "./doctorProfileRepository.js";
import { createHistoryRepository } from "./historyRepository.js";
import type { CipherSource } from "./mappers.js";
import type { PrismaClient, Tx } from "./prisma.js";
import { createSlotRepository } from "./slotRepository.js";
import { createPendingOfferRepository, createWaitlistRepository } from "./waitlistRepository.js";

export function createRepositories(db: Tx, cipher: CipherSource): Repositories {
  return {
    appointments: createAppointmentRepository(db, cipher),
    slots: createSlotRepository(db, cipher),
    profiles: createDoctorProfileRepository(db),
    waitlist: createWaitlistRepository(db),
    pendingOffers: createPendingOfferRepository(db),
    history: createHistoryRepository(db, cipher),
  };
}

/** Advisory locks held until the transaction ends. */
export function createLocks(tx: Tx): Locks {
  const lock = async (key: string) => void (await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
  return {
    /** Serialises one patient's bookings, so per-patient limits hold under concurrency. */
    patient: (patientId) => lock(`patient:${patientId}`),
    /** Serialises the syncs of one doctor's schedule. */
    doctor: (doctorId) => lock(`doctor:${doctorId}`),
  };
}

export function transactionRepositories(tx: Tx, cipher: CipherSource): TxRepositories {
  return { ...createRepositories(tx, cipher), locks: createLocks(tx), outbox: createOutbox(tx) };
}

export function createUnitOfWork(prisma: PrismaClient, cipher: CipherSource): UnitOfWork {
  return {
    run<T>(work: (tx: TxRepositories) => Promise<T>) {
      return inTransaction<Tx, T>(prisma, (tx) => work(transactionRepositories(tx, cipher)));
    },
  };
}
