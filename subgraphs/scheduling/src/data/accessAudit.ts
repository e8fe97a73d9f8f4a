/**
 * Audit of reads in scheduling: when someone other than the patient reads a patient's appointment (staff,
 * the treating doctor, an admin — by id, on a calendar, in a doctor's list, through `_entities` or on a
 * live feed), a `PatientRecordAccessed` event goes to scheduling's outbox (the shared recorder:
 * packages/events/src/accessAudit.ts). Every tick's reads are recorded, also in a subscription's
 * long-lived context (each feed event is a new read).
 */
import { createReadRecorder as createRecorder, outboxAccessWriter } from "@clinigraph/events";
import type { Identity, Sql } from "@clinigraph/platform";
import type { ReadRecorder } from "../domain/ports.js";
import { OUTBOX_CHANNEL } from "../events/outbox.js";

export const APPOINTMENT_READ = "APPOINTMENT_READ";

export function createReadRecorder(db: Sql, identity: Identity, clock: () => Date = () => new Date()): ReadRecorder {
  const executor = { $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await db.query(query, values)).rowCount ?? 0 };
  const recorder = createRecorder({ identity, clock, write: outboxAccessWriter(executor, "scheduling", OUTBOX_CHANNEL) });
  return {
    appointments: (appointments) =>
      recorder.record(
        APPOINTMENT_READ,
        appointments.filter((a): a is { patientId: string } => !!a).map((a) => a.patientId),
      ),
  };
}
