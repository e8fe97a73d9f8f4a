/**
 * Notifications' consumer of scheduling's appointment events (group `notifications-appointments`): each event once
 * (domain/intake.ts records it with its effect), its messages into the ledger and the appointment's reminders
 * reconciled with its latest state.
 */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeAppointmentEvent } from "../../domain/intake.js";

export const APPOINTMENTS_GROUP = "notifications-appointments";

export function startAppointmentsConsumer(options: ConsumerOptions<Pick<Deps, "unitOfWork" | "clock">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    group: APPOINTMENTS_GROUP,
    streams: [STREAMS.appointments],
    types: APPOINTMENT_EVENT_TYPES,
    handler: async (event) => {
      const result = await takeAppointmentEvent(deps, APPOINTMENTS_GROUP, event);
      if (!result.applied) logger.debug({ eventId: event.id, type: event.type }, "event handled before: nothing to do");
      else if (result.added || result.cancelled) logger.debug({ eventId: event.id, type: event.type, ...result }, "ledger updated");
    },
  });
}
