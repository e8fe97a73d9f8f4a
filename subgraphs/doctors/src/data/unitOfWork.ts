/**
 * One database transaction, handed to a use case as transaction-bound repositories (`inTransaction`: retried
 * on deadlock or serialization failure). Every state change of the subgraph goes through here, so an outbox
 * written in the same transaction joins as one more member of TransactionRepositories.
 */
import { inTransaction } from "@clinigraph/platform";
import type { UnitOfWork } from "../domain/ports.js";
import { createDoctorWrites } from "./doctorRepository.js";
import type { PrismaClient } from "./prisma.js";
import { createScheduleWrites } from "./scheduleRepository.js";
import { createTimeOffWrites } from "./timeOffRepository.js";

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return {
    run: (work) =>
      inTransaction(prisma, (tx) => work({ doctors: createDoctorWrites(tx), schedules: createScheduleWrites(tx), timeOff: createTimeOffWrites(tx) })),
  };
}
