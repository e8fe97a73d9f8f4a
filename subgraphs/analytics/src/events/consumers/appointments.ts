/** Analytics' consumer of scheduling's appointment events (group `analytics-appointments`): appointment facts. */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeAppointmentEvent } from "../../domain/ingest.js";

export const APPOINTMENTS_GROUP = "analytics-appointments";

export function startAppointmentsConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: APPOINTMENTS_GROUP,
    streams: [STREAMS.appointments],
    types: APPOINTMENT_EVENT_TYPES,
    handler: (event) => takeAppointmentEvent(options.deps, APPOINTMENTS_GROUP, event),
  });
}
