/** Analytics' consumer of the doctors stream (group `analytics-doctors`): a doctor's offered time, for utilization. */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions, type DoctorScheduleChangedData } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "../../domain/deps.js";
import { refreshSupply } from "../../domain/supply.js";

export const DOCTORS_GROUP = "analytics-doctors";

export function startDoctorsConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: DOCTORS_GROUP,
    streams: [STREAMS.doctors],
    types: ["DoctorScheduleChanged"],
    handler: async (event) => {
      const { doctorId } = event.data as DoctorScheduleChangedData;
      if (!isUuid(doctorId)) {
        options.logger.warn({ eventId: event.id }, "DoctorScheduleChanged without a doctor id: ignored");
        return;
      }
      // Rewrites the doctor's days ahead from their schedule as it is now: a redelivered or late event does no harm.
      await refreshSupply(options.deps, doctorId);
      await options.deps.signals.changed(event.id);
    },
  });
}
