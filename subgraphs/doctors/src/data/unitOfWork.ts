/**
 * One database transaction, handed to a use case as transaction-bound repositories. Every state change
 * of the subgraph goes through here, so the outbox write of its event (ARCHITECTURE §3) joins the same
 * transaction by adding an `outbox` member to TransactionRepositories.
 */
import { createDoctorWrites, type DoctorWrites } from "./doctorRepository.js";
import { createScheduleWrites, type ScheduleWrites } from "./scheduleRepository.js";
import { createTimeOffWrites, type TimeOffWrites } from "./timeOffRepository.js";
import { inTransaction } from "@clinigraph/platform";
import type { PrismaClient } from "./prisma.js";

export interface TransactionRepositories {
  doctors: DoctorWrites;
  schedules: ScheduleWrites;
  timeOff: TimeOffWrites;
}

export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return {
    run: (work) =>
      inTransaction(prisma, (tx) => work({ doctors: createDoctorWrites(tx), schedules: createScheduleWrites(tx), timeOff: createTimeOffWrites(tx) })),
  };
}
