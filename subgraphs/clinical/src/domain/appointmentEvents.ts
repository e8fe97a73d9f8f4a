/**
 * Scheduling's appointment events, as clinical takes them:
 * - `PatientCheckedIn` creates the encounter (the patient is now on the doctor's list) — exactly once per
 *   appointment, however often the event is delivered;
 * - every appointment event gives the doctor a care relationship with the patient.
 */
import type { AppointmentEventType, CatalogueEnvelope } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { encounterFromCheckIn } from "./encounters.js";

export async function onAppointmentEvent(
  deps: Pick<Deps, "unitOfWork" | "clock" | "doctors" | "logger">,
  event: CatalogueEnvelope<AppointmentEventType>,
): Promise<void> {
  const { logger } = deps;
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
  const since = new Date(event.time);
  await deps.unitOfWork.run((tx) => tx.care.record({ doctorUserId, patientId, since, source: "appointment" }));
}
