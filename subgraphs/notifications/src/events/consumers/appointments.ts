/**
 * Notifications' consumer of scheduling's appointment events (group `notifications-appointments`): each event once
 * (domain/intake.ts records it with its effect), its messages into the ledger and the appointment's reminders
 * reconciled with its latest state. A block of entries read at once is taken in one transaction; when that fails,
 * each of its events is taken on its own (retries, dead letters).
 */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeAppointmentEvents, type IncomingEvent } from "../../domain/intake.js";
import type { AppointmentEventFacts } from "../../domain/plan.js";

export const APPOINTMENTS_GROUP = "notifications-appointments";

/** Stream entries read and taken at once: a booking burst's events share a few transactions. */
export const APPOINTMENTS_BATCH = 200;

export function startAppointmentsConsumer(options: ConsumerOptions<Pick<Deps, "unitOfWork" | "clock">>): Consumer {
  const { deps, logger } = options;
  const take = async (events: readonly IncomingEvent<AppointmentEventFacts>[]) => {
    const result = await takeAppointmentEvents(deps, APPOINTMENTS_GROUP, events);
    if (result.applied < events.length) logger.debug({ events: events.length, applied: result.applied }, "events handled before: nothing to do for them");
    if (result.added || result.cancelled) logger.debug({ events: events.length, ...result }, "ledger updated");
  };
  return subscribe({
    ...options,
    group: APPOINTMENTS_GROUP,
    streams: [STREAMS.appointments],
    types: APPOINTMENT_EVENT_TYPES,
    batchSize: APPOINTMENTS_BATCH,
    batchHandler: take,
    handler: (event) => take([event]),
  });
}
