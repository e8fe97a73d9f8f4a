/** Analytics' consumer of the doctors stream (group `analytics-doctors`): a doctor's offered time, for utilization. */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions, type DoctorScheduleChangedData } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "../../domain/deps.js";
import { refreshSupply, scheduleFrom } from "../../domain/supply.js";

export const DOCTORS_GROUP = "analytics-doctors";

export function startDoctorsConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: DOCTORS_GROUP,
    streams: [STREAMS.doctors],
    types: ["DoctorScheduleChanged"],
    handler: async (event) => {
      const { doctorId, schedule } = event.data as DoctorScheduleChangedData;
      if (!isUuid(doctorId)) {
        options.logger.warn({ eventId: event.id }, "DoctorScheduleChanged without a doctor id: ignored");
        return;
      }
      // Rewrites the doctor's days from the change on with the schedule the event carries (events of one doctor come
      // in order, so the last one's days stay); an event written before schedules were carried: from today, with
      // the schedule as it is now. A redelivered event does no harm.
      await refreshSupply(options.deps, doctorId, schedule ? { since: new Date(event.time), schedule: scheduleFrom(schedule) } : undefined);
      await options.deps.signals.changed(event.id);
    },
  });
}
