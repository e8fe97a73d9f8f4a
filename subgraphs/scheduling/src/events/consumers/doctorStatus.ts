/**
 * Scheduling's consumer of doctors' status events (group `scheduling-doctor-status`, on the doctors stream):
 * DoctorDeactivated flags the doctor's upcoming appointments once (claimed per event) and blocks their slots;
 * DoctorReactivated brings the slots back (domain/doctorStatus.ts). Both end by re-reading the doctor from the doctors
 * subgraph; when that fails the bus retries the event (then the dead-letter stream), and the flags are not made twice.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "../../domain/deps.js";
import { onDoctorDeactivated, onDoctorReactivated } from "../../domain/doctorStatus.js";

export const DOCTOR_STATUS_GROUP = "scheduling-doctor-status";

export function startDoctorStatusConsumer(options: ConsumerOptions<Pick<Deps, "doctors" | "unitOfWork" | "clock" | "rules">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    consumer: options.consumer ?? "scheduling-1",
    group: DOCTOR_STATUS_GROUP,
    streams: [STREAMS.doctors],
    types: ["DoctorDeactivated", "DoctorReactivated"],
    handler: async (event) => {
      const { doctorId, actorId } = event.data;
      if (!isUuid(doctorId)) {
        logger.error({ eventId: event.id, type: event.type }, "doctor status event with a malformed doctor id: ignored");
        return;
      }
      if (event.type === "DoctorDeactivated") {
        const result = await onDoctorDeactivated(deps, DOCTOR_STATUS_GROUP, event.id, { doctorId: doctorId.toLowerCase(), actorId });
        logger.info({ eventId: event.id, doctorId, ...result }, "doctor deactivated: upcoming appointments flagged, slots blocked");
      } else {
        const result = await onDoctorReactivated(deps, doctorId.toLowerCase());
        logger.info({ eventId: event.id, doctorId, ...(result ?? {}) }, "doctor reactivated: slots synced");
      }
    },
  });
}
