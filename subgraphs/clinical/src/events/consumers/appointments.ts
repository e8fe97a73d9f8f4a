/**
 * Clinical's consumer of scheduling's appointment events (group `clinical-appointments`): check-ins become
 * encounters, every appointment event a care relationship (domain/appointmentEvents.ts). The consumer group
 * resumes where it stopped, so check-ins made while clinical was down are not lost.
 */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { onAppointmentEvent } from "../../domain/appointmentEvents.js";
import type { Deps } from "../../domain/deps.js";

export const APPOINTMENTS_GROUP = "clinical-appointments";

export const startAppointmentConsumer = (options: ConsumerOptions<Deps>): Consumer =>
  subscribe({
    ...options,
    consumer: options.consumer ?? "clinical-1",
    group: APPOINTMENTS_GROUP,
    streams: [STREAMS.appointments],
    types: APPOINTMENT_EVENT_TYPES,
    handler: (event) => onAppointmentEvent({ ...options.deps, logger: options.logger }, event),
  });
