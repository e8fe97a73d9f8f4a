/**
 * Audit of reads in billing: when someone other than the patient (billing staff, reception, an admin) reads a
 * patient's invoice — by id, in a list, on an appointment or encounter, as a PDF — a `PatientRecordAccessed` event
 * (INVOICE_READ) goes to billing's outbox; accounts keeps it in the patient's audit log.
 */
import { createReadRecorder as createRecorder, outboxAccessWriter } from "@clinigraph/events";
import type { Identity, Sql } from "@clinigraph/platform";
import type { ReadRecorder } from "../domain/ports.js";
import { OUTBOX_CHANNEL } from "../events/outbox.js";

export const INVOICE_READ = "INVOICE_READ";

export function createReadRecorder(db: Sql, identity: Identity, clock: () => Date = () => new Date()): ReadRecorder {
  const executor = { $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await db.query(query, values)).rowCount ?? 0 };
  const recorder = createRecorder({ identity, clock, write: outboxAccessWriter(executor, "billing", OUTBOX_CHANNEL) });
  return {
    invoices: (invoices) =>
      recorder.record(
        INVOICE_READ,
        invoices.filter((invoice): invoice is { patientId: string } => !!invoice).map((invoice) => invoice.patientId),
      ),
  };
}
