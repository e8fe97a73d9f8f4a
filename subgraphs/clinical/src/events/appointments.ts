/**
 * Clinical's consumer of scheduling's appointment events (group `clinical-appointments`):
 * - `PatientCheckedIn` creates the encounter (the patient is now on the doctor's list) — exactly once per
 *   appointment, however often the event is delivered, and whenever clinical comes back after being down
 *   (the consumer group resumes where it stopped: check-ins made meanwhile are not lost);
 * - every appointment event gives the doctor a care relationship with the patient.
 */
import { APPOINTMENT_EVENT_TYPES, STREAMS, isEvent, type Consumer, type EventBus } from "@clinigraph/events";
import { isUuid, type Logger, inTransaction } from "@clinigraph/platform";
import type { ClinicalDeps } from "../domain/deps.js";
import { encounterFromCheckIn, recordCareRelationship } from "../domain/encounters.js";

export const APPOINTMENTS_GROUP = "clinical-appointments";

export function startAppointmentConsumer(options: { bus: EventBus; deps: ClinicalDeps; logger: Logger; namespace?: string; consumer?: string }): Consumer {
  const { deps, logger } = options;
  return options.bus.consume({
    stream: `${options.namespace ?? ""}${STREAMS.appointments}`,
    group: APPOINTMENTS_GROUP,
    consumer: options.consumer ?? "clinical-1",
    blockMs: 1_000,
    handler: async (event) => {
      if (!isEvent(event, ...APPOINTMENT_EVENT_TYPES)) return;
      const { patientId, doctorId, appointmentId } = event.data;
      let doctorUserId = event.data.doctorUserId;
      if (event.type === "PatientCheckedIn" && !doctorUserId) doctorUserId = (await deps.doctors.doctor(doctorId))?.userId ?? undefined;
      if (!doctorUserId || !isUuid(doctorUserId) || !isUuid(patientId)) {
        if (event.type === "PatientCheckedIn") logger.error({ eventId: event.id }, "check-in without a resolvable doctor user: no encounter created");
        return;
      }
      if (event.type === "PatientCheckedIn") {
        const { created } = await encounterFromCheckIn(deps, { appointmentId, patientId, doctorId, doctorUserId, at: new Date(event.time) });
        if (!created) logger.debug({ eventId: event.id }, "check-in already has its encounter");
        return;
      }
      await inTransaction(deps.prisma, (tx) => recordCareRelationship(tx, doctorUserId, patientId, new Date(event.time), "appointment"));
    },
  });
}
