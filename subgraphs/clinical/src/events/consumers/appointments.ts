/**
 * Clinical's consumer of scheduling's appointment events (group `clinical-appointments`): check-ins become
 * encounters, every appointment event a care relationship (domain/appointmentEvents.ts). Each block read is taken
 * in one go (one statement, or one transaction with check-ins); a block that fails is taken again one event at a
 * time (retries, dead letters). The consumer group resumes where it stopped, so check-ins made while clinical was
 * down are not lost.
 */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { onAppointmentEvent, onAppointmentEvents } from "../../domain/appointmentEvents.js";
import type { Deps } from "../../domain/deps.js";

export const APPOINTMENTS_GROUP = "clinical-appointments";

/** Entries read (and taken) at once: a booking burst is a few statements per hundred events. */
export const APPOINTMENTS_BATCH = 100;

export function startAppointmentConsumer(options: ConsumerOptions<Deps>): Consumer {
  const deps = { ...options.deps, logger: options.logger };
  return subscribe({
    ...options,
    consumer: options.consumer ?? "clinical-1",
    group: APPOINTMENTS_GROUP,
    streams: [STREAMS.appointments],
    types: APPOINTMENT_EVENT_TYPES,
    batchSize: APPOINTMENTS_BATCH,
    batchHandler: (events) => onAppointmentEvents(deps, events),
    handler: (event) => onAppointmentEvent(deps, event),
  });
}
