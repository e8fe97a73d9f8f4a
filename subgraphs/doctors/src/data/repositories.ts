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
import { createExtraHoursRepository } from "./extraHoursRepository.js";
import { createScheduleTemplateRepository } from "./scheduleTemplateRepository.js";
import { createScheduleVersionRepository } from "./scheduleVersionRepository.js";
import { createUnitOfWork } from "./unitOfWork.js";

export type Repositories = Pick<Deps, "catalogue" | "doctors" | "schedules" | "timeOff" | "templates" | "versions" | "extraHours" | "unitOfWork">;

export function createRepositories(prisma: PrismaClient, sql: Sql): Repositories {
  return {
    catalogue: createCatalogueRepository(prisma),
    doctors: createDoctorRepository(prisma, sql),
    schedules: createScheduleRepository(prisma),
    timeOff: createTimeOffRepository(prisma),
    templates: createScheduleTemplateRepository(prisma),
    versions: createScheduleVersionRepository(prisma),
    extraHours: createExtraHoursRepository(prisma),
    unitOfWork: createUnitOfWork(prisma),
  };
}
