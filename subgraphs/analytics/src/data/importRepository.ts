/**
 * Imported visits (analytics.appointment_facts, source IMPORT). A batch is one INSERT whose rows come from a single
 * JSON parameter (`json_populate_recordset` over the table's own row type, so every column keeps its type): a few
 * thousand rows cost one round trip, one statement and so one transaction, and serialising them is one
 * `JSON.stringify`. `ON CONFLICT DO NOTHING` without a target skips a row whose appointment key or source id is
 * already stored, or comes earlier in the batch — also when two imports of one file run at once, whichever unique
 * index meets the conflict first.
 *
 * It runs on a small `pg` pool of its own, not through Prisma: Prisma's debug module keeps the arguments of its last
 * hundred calls, which for batches of a megabyte each held hundreds of megabytes for the life of the process.
 */
import pg from "pg";
import type { ImportedFactRepository } from "../domain/ports.js";
import { appointmentRow, FACT_TABLES, insertFromJson } from "./factTables.js";

// A row whose appointment key or source id is stored, or comes earlier in the batch, is skipped.
const INSERT = insertFromJson(FACT_TABLES.appointment, "ON CONFLICT DO NOTHING");

/** The repository, with its pool (opened at the first batch, two connections at most); `close` ends it. */
export function createImportedFactRepository(connectionString: string): ImportedFactRepository & { close(): Promise<void> } {
  let pool: pg.Pool | undefined;
  return {
    async insertNew(changes) {
      if (changes.length === 0) return 0;
      pool ??= new pg.Pool({ connectionString, max: 2, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
      const result = await pool.query(INSERT, [JSON.stringify(changes.map(appointmentRow))]);
      return result.rowCount ?? 0;
    },
    async close() {
      await pool?.end();
      pool = undefined;
    },
  };
}
