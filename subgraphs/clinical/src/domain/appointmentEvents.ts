/**
 * Scheduling's appointment events, as clinical takes them:
 * - `PatientCheckedIn` creates the encounter (the patient is now on the doctor's list) — exactly once per
 *   appointment, however often the event is delivered;
 * - every appointment event gives the doctor a care relationship with the patient (the first one stays).
 *
 * A block of events read together is taken in one go, in stream order: its care relationships are written in one
 * statement (a booking's `AppointmentRequested` and `AppointmentBooked` give the same pair: one row), and a block
 * with check-ins is one transaction. Redelivered events change nothing (the writes are idempotent).
 */
import type { AppointmentEventType, CatalogueEnvelope } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { checkInEncounter, type CheckIn } from "./encounters.js";
import type { CareRelationship } from "./types.js";

type AppointmentEventDeps = Pick<Deps, "unitOfWork" | "care" | "clock" | "doctors" | "logger">;

/** What one event asks for. */
type Step = { care: CareRelationship } | { checkIn: CheckIn; eventId: string };

export const onAppointmentEvent = (deps: AppointmentEventDeps, event: CatalogueEnvelope<AppointmentEventType>): Promise<void> =>
  onAppointmentEvents(deps, [event]);

/** Takes `events` (stream order) in at most one transaction; when it throws, nothing of the block was written. */
export async function onAppointmentEvents(deps: AppointmentEventDeps, events: readonly CatalogueEnvelope<AppointmentEventType>[]): Promise<void> {
  const { logger } = deps;
  const steps: Step[] = [];
  for (const event of events) {
    const { patientId, doctorId, appointmentId } = event.data;
    const checkIn = event.type === "PatientCheckedIn";
    let doctorUserId = event.data.doctorUserId;
    // Before any transaction: no row lock is held across a call to the doctors subgraph.
    if (checkIn && !doctorUserId) doctorUserId = (await deps.doctors.doctor(doctorId))?.userId ?? undefined;
    if (!doctorUserId || !isUuid(doctorUserId) || !isUuid(patientId)) {
      if (checkIn) logger.error({ eventId: event.id }, "check-in without a resolvable doctor user: no encounter created");
      continue;
    }
    const at = new Date(event.time);
    steps.push(
      checkIn
        ? { checkIn: { appointmentId, patientId, doctorId, doctorUserId, at }, eventId: event.id }
        : { care: { doctorUserId, patientId, since: at, source: "appointment" } },
    );
  }
  if (steps.every((step) => "care" in step)) return deps.care.recordAll(steps.map((step) => step.care));

  const known = await deps.unitOfWork.run(async (tx) => {
    const existing: string[] = [];
    let care: CareRelationship[] = [];
    for (const step of steps) {
      if ("care" in step) {
        care.push(step.care);
        continue;
      }
      // Care relationships of earlier events first: the first relationship of a pair stays.
      await tx.care.recordAll(care);
      care = [];
      if (!(await checkInEncounter(tx, deps.clock, step.checkIn)).created) existing.push(step.eventId);
    }
    await tx.care.recordAll(care);
    return existing;
  });
  for (const eventId of known) logger.debug({ eventId }, "check-in already has its encounter");
}
