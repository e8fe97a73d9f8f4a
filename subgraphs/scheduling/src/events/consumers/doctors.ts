/**
 * Scheduling's consumer of the doctors stream (group `scheduling-doctors`, ADR 5): on `DoctorScheduleChanged` it
 * re-reads the doctor through the doctors subgraph's API and regenerates their free slots, as `syncDoctorSlots` does.
 * Delivery is at least once and the sync converges on the doctor's current state, so a redelivery, or an event that
 * arrives after a later change, only syncs again. A failure to reach doctors is retried by the bus (then the
 * dead-letter stream); the periodic reconciliation catches up either way.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "../../domain/deps.js";
import { resyncDoctor } from "../../domain/reconcile.js";

export const DOCTORS_GROUP = "scheduling-doctors";

export function startDoctorsConsumer(options: ConsumerOptions<Pick<Deps, "doctors" | "unitOfWork" | "clock" | "rules">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    consumer: options.consumer ?? "scheduling-1",
    group: DOCTORS_GROUP,
    streams: [STREAMS.doctors],
    types: ["DoctorScheduleChanged"],
    handler: async (event) => {
      const { doctorId } = event.data;
      if (!isUuid(doctorId)) {
        logger.error({ eventId: event.id, doctorId }, "DoctorScheduleChanged with a malformed doctor id: ignored");
        return;
      }
      const result = await resyncDoctor(deps, doctorId);
      if (result) logger.debug({ eventId: event.id, doctorId, ...result }, "doctor's schedule changed: slots synced");
      else logger.warn({ eventId: event.id, doctorId }, "schedule changed for a doctor the doctors subgraph does not know: nothing to sync");
    },
  });
}
