/**
 * Wires the repositories and the unit of work over one Prisma client (by hand, no DI framework), and the hand-written
 * reads over the same connection pool (`sql`).
 */
import type { Sql } from "@clinigraph/platform";
import type { Deps } from "../domain/deps.js";
import { createCatalogueRepository } from "./catalogueRepository.js";
import { createDoctorRepository } from "./doctorRepository.js";
import type { PrismaClient } from "./prisma.js";
import { createScheduleRepository } from "./scheduleRepository.js";
import { createTimeOffRepository } from "./timeOffRepository.js";
import { createUnitOfWork } from "./unitOfWork.js";

export type Repositories = Pick<Deps, "catalogue" | "doctors" | "schedules" | "timeOff" | "unitOfWork">;

export function createRepositories(prisma: PrismaClient, sql: Sql): Repositories {
  return {
    catalogue: createCatalogueRepository(prisma),
    doctors: createDoctorRepository(prisma, sql),
    schedules: createScheduleRepository(prisma),
    timeOff: createTimeOffRepository(prisma),
    unitOfWork: createUnitOfWork(prisma),
  };
}
