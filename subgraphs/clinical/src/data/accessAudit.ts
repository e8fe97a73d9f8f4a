/**
 * Audit of reads in clinical (every read of PHI is audit-logged): when someone other than
 * the patient reads a patient's clinical record — the patient card, an encounter's record entries, clinical
 * notes, and also an encounter's or examination's metadata (status, doctor, what was ordered: health
 * information too), on the board and the worklists as well — a `PatientRecordAccessed` event goes to clinical's outbox (the shared recorder:
 * packages/events/src/accessAudit.ts); a request records each (patient, action) once.
 */
import { createReadRecorder, outboxAccessWriter } from "@clinigraph/events";
import type { Sql } from "@clinigraph/platform";
import type { AccessAudit } from "../domain/ports.js";
import { OUTBOX_CHANNEL } from "../events/outbox.js";

/** One recorder per request (each (patient, action) once), writing to clinical's outbox. */
export function createAccessAudit(db: Sql, clock: () => Date = () => new Date()): AccessAudit {
  const executor = { $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await db.query(query, values)).rowCount ?? 0 };
  const write = outboxAccessWriter(executor, "clinical", OUTBOX_CHANNEL);
  return { forRequest: (identity) => createReadRecorder({ identity, clock, write, oncePerRequest: true }) };
}
