/** Clinical's repositories over one connection pool (by hand, no DI framework): the data half of Deps. */
import type { FieldCipher, SqlPool } from "@clinigraph/platform";
import type { Deps } from "../domain/deps.js";
import { createAccessAudit } from "./accessAudit.js";
import { createBoardRepository } from "./boardRepository.js";
import { createCareRepository } from "./careRepository.js";
import { createEncounterRepository } from "./encounterRepository.js";
import { createExaminationRepository } from "./examinationRepository.js";
import { createRecordRepository } from "./recordRepository.js";
import { createUnitOfWork } from "./unitOfWork.js";
import { createWorklistRepository } from "./worklistRepository.js";

/** The data half of Deps. */
export type DataDeps = Pick<Deps, "encounters" | "examinations" | "records" | "care" | "board" | "worklist" | "unitOfWork" | "accessAudit">;

export function createRepositories(pool: SqlPool, cipher: FieldCipher, clock: () => Date = () => new Date()): DataDeps {
  return {
    encounters: createEncounterRepository(pool, cipher),
    examinations: createExaminationRepository(pool, cipher),
    records: createRecordRepository(pool, cipher),
    care: createCareRepository(pool),
    board: createBoardRepository(pool),
    worklist: createWorklistRepository(pool),
    unitOfWork: createUnitOfWork(pool, cipher),
    accessAudit: createAccessAudit(pool, clock),
  };
}

/** Readiness: the database answers. */
export const pingDatabase = async (pool: SqlPool): Promise<void> => {
  await pool.query("SELECT 1");
};
