/** Wires the repositories over one Prisma client (by hand, no DI framework). */
import { createCatalogueRepository, type CatalogueRepository } from "./catalogueRepository.js";
import { createDoctorRepository, type DoctorRepository } from "./doctorRepository.js";
import { createScheduleRepository, type ScheduleRepository } from "./scheduleRepository.js";
import { createTimeOffRepository, type TimeOffRepository } from "./timeOffRepository.js";
import { createUnitOfWork, type UnitOfWork } from "./unitOfWork.js";
import type { PrismaClient } from "./prisma.js";

export interface Repositories {
  catalogue: CatalogueRepository;
  doctors: DoctorRepository;
  schedules: ScheduleRepository;
  timeOff: TimeOffRepository;
  unitOfWork: UnitOfWork;
}

export function createRepositories(prisma: PrismaClient): Repositories {
  return {
    catalogue: createCatalogueRepository(prisma),
    doctors: createDoctorRepository(prisma),
    schedules: createScheduleRepository(prisma),
    timeOff: createTimeOffRepository(prisma),
    unitOfWork: createUnitOfWork(prisma),
  };
}
