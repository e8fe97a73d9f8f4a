/** One database transaction, handed to a use case as transaction-bound repositories and the outbox. */
import { inTransaction, type FieldCipher } from "@clinigraph/platform";
import { createOutbox } from "../events/outbox.js";
import type { TransactionRepositories, UnitOfWork } from "../domain/ports.js";
import { createBoardRepository } from "./boardRepository.js";
import { createCareRepository } from "./careRepository.js";
import { createEncounterRepository } from "./encounterRepository.js";
import { createExaminationRepository } from "./examinationRepository.js";
import { createProcessedEvents } from "./processedEvents.js";
import type { PrismaClient, Tx } from "./prisma.js";
import { createRecordRepository } from "./recordRepository.js";
import { createWorklistRepository } from "./worklistRepository.js";

export const transactionRepositories = (tx: Tx, cipher: FieldCipher): TransactionRepositories => ({
  encounters: createEncounterRepository(tx, cipher),
  examinations: createExaminationRepository(tx, cipher),
  records: createRecordRepository(tx, cipher),
  care: createCareRepository(tx),
  board: createBoardRepository(tx),
  worklist: createWorklistRepository(tx),
  processed: createProcessedEvents(tx),
  outbox: createOutbox(tx),
});

export function createUnitOfWork(prisma: PrismaClient, cipher: FieldCipher): UnitOfWork {
  return { run: (work) => inTransaction(prisma, (tx) => work(transactionRepositories(tx, cipher))) };
}
