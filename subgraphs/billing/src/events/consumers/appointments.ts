/**
 * Billing's consumer of scheduling's appointment events (group `billing-appointments`): which service each visit was
 * booked for, fees, prepayments given back. Each block read is handled in one call (mostly one statement: see
 * `takeAppointmentEvents`); when that fails, each event of the block on its own, with the bus's retries.
 */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeAppointmentEvents } from "../../domain/visits.js";

export const APPOINTMENTS_GROUP = "billing-appointments";

export function startAppointmentsConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: APPOINTMENTS_GROUP,
    streams: [STREAMS.appointments],
    types: APPOINTMENT_EVENT_TYPES,
    batchSize: 100,
    batchHandler: (events) => takeAppointmentEvents(options.deps, APPOINTMENTS_GROUP, events),
    handler: (event) => takeAppointmentEvents(options.deps, APPOINTMENTS_GROUP, [event]),
  });
}
