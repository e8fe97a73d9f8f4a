/**
 * One database transaction, handed to a use case as transaction-bound repositories and the outbox: BEGIN … COMMIT
 * on one pooled connection, run again when PostgreSQL aborts it for a deadlock or a serialization failure (platform
 * `inTransaction`). The transaction's events are written by one statement just before COMMIT (events/outbox.ts).
 */
import { inTransaction, sqlTransactions, type FieldCipher, type Sql, type SqlConnection, type SqlPool } from "@clinigraph/platform";
import { createOutbox, type ClinicalOutbox } from "../events/outbox.js";
import type { TransactionRepositories, UnitOfWork } from "../domain/ports.js";
import { createBoardRepository } from "./boardRepository.js";
import { createCareRepository } from "./careRepository.js";
import { createEncounterRepository } from "./encounterRepository.js";
import { createExaminationRepository } from "./examinationRepository.js";
import { createProcessedEvents } from "./processedEvents.js";
import { createRecordRepository } from "./recordRepository.js";
import { createWorklistRepository } from "./worklistRepository.js";

export const transactionRepositories = (tx: Sql, cipher: FieldCipher): TransactionRepositories & { outbox: ClinicalOutbox } => ({
  encounters: createEncounterRepository(tx, cipher),
  examinations: createExaminationRepository(tx, cipher),
  records: createRecordRepository(tx, cipher),
  care: createCareRepository(tx),
  board: createBoardRepository(tx),
  worklist: createWorklistRepository(tx),
  processed: createProcessedEvents(tx),
  outbox: createOutbox(tx),
});

export function createUnitOfWork(pool: SqlPool, cipher: FieldCipher): UnitOfWork {
  const transactions = sqlTransactions(pool);
  return {
    run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T> {
      return inTransaction<SqlConnection, T>(transactions, async (tx) => {
        const repositories = transactionRepositories(tx, cipher);
        const result = await work(repositories);
        await repositories.outbox.flush();
        return result;
      });
    },
  };
}
