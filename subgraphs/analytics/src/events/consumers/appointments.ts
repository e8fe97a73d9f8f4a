/** Analytics' consumer of scheduling's appointment events (group `analytics-appointments`): appointment facts. */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { appointmentWrite, takeEvents } from "../../domain/ingest.js";
import { INGEST_BATCH } from "./batch.js";

export const APPOINTMENTS_GROUP = "analytics-appointments";

export function startAppointmentsConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: APPOINTMENTS_GROUP,
    streams: [STREAMS.appointments],
    types: APPOINTMENT_EVENT_TYPES,
    batchSize: INGEST_BATCH,
    batchHandler: (events) => takeEvents(options.deps, APPOINTMENTS_GROUP, events, appointmentWrite),
    handler: (event) => takeEvents(options.deps, APPOINTMENTS_GROUP, [event], appointmentWrite),
  });
}
