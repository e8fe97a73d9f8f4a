/** Clinical's repositories over one Prisma client (by hand, no DI framework): the data half of Deps. */
import type { FieldCipher } from "@clinigraph/platform";
import type { Deps } from "../domain/deps.js";
import { createAccessAudit } from "./accessAudit.js";
import { createBoardRepository } from "./boardRepository.js";
import { createCareRepository } from "./careRepository.js";
import { createEncounterRepository } from "./encounterRepository.js";
import { createExaminationRepository } from "./examinationRepository.js";
import type { PrismaClient } from "./prisma.js";
import { createRecordRepository } from "./recordRepository.js";
import { createUnitOfWork } from "./unitOfWork.js";
import { createWorklistRepository } from "./worklistRepository.js";

/** The data half of Deps. */
export type DataDeps = Pick<Deps, "encounters" | "examinations" | "records" | "care" | "board" | "worklist" | "unitOfWork" | "accessAudit">;

export function createRepositories(prisma: PrismaClient, cipher: FieldCipher, clock: () => Date = () => new Date()): DataDeps {
  return {
    encounters: createEncounterRepository(prisma, cipher),
    examinations: createExaminationRepository(prisma, cipher),
    records: createRecordRepository(prisma, cipher),
    care: createCareRepository(prisma),
    board: createBoardRepository(prisma),
    worklist: createWorklistRepository(prisma),
    unitOfWork: createUnitOfWork(prisma, cipher),
    accessAudit: createAccessAudit(prisma, clock),
  };
}

/** Readiness: the database answers. */
export const pingDatabase = async (prisma: PrismaClient): Promise<void> => {
  await prisma.$queryRaw`SELECT 1`;
};
