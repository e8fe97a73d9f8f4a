/**
 * One database transaction, handed to a use case as transaction-bound repositories and the outbox (`inTransaction`:
 * retried on deadlock or serialization failure). Every state change of the subgraph goes through here, so its
 * events are written in the transaction of the change they announce.
 */
import { inTransaction } from "@clinigraph/platform";
import type { UnitOfWork } from "../domain/ports.js";
import { createCatalogueEvents, createOutbox } from "../events/outbox.js";
import { createCatalogueWrites } from "./catalogueWrites.js";
import { createProcessedEvents } from "./processedEvents.js";
import { createDoctorWrites } from "./doctorRepository.js";
import type { PrismaClient } from "./prisma.js";
import { createScheduleWrites } from "./scheduleRepository.js";
import { createTimeOffWrites } from "./timeOffRepository.js";
import { createExtraHoursWrites } from "./extraHoursRepository.js";
import { createScheduleVersionWrites } from "./scheduleVersionRepository.js";

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return {
    run: (work) =>
      inTransaction(prisma, (tx) =>
        work({
          catalogue: createCatalogueWrites(tx),
          catalogueEvents: createCatalogueEvents(tx),
          doctors: createDoctorWrites(tx),
          schedules: createScheduleWrites(tx),
          timeOff: createTimeOffWrites(tx),
          versions: createScheduleVersionWrites(tx),
          extraHours: createExtraHoursWrites(tx),
          outbox: createOutbox(tx),
          processedEvents: createProcessedEvents(tx),
        }),
      ),
  };
}
