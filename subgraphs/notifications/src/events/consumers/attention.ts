/**
 * Notifications' consumer of AppointmentNeedsAttention (group `notifications-attention`, on the appointment stream):
 * the event is not one of the lifecycle types (APPOINTMENT_EVENT_TYPES), so it is subscribed to by name. Its
 * attentionReason DOCTOR_DEACTIVATED tells the patient to rebook (APPOINTMENT_NEEDS_REBOOKING); other reasons are
 * for staff and tell nobody. The intake is the appointment consumer's (domain/intake.ts): each event once per group
 * (recorded with its effect). DOCTOR_DEACTIVATED also stops the appointment's reminders (the patient was told to
 * rebook); other reasons keep them.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeAppointmentEvents, type IncomingEvent } from "../../domain/intake.js";
import type { AppointmentEventFacts } from "../../domain/plan.js";

export const ATTENTION_GROUP = "notifications-attention";

export function startAttentionConsumer(options: ConsumerOptions<Pick<Deps, "unitOfWork" | "clock">>): Consumer {
  const { deps, logger } = options;
  const take = async (events: readonly IncomingEvent<AppointmentEventFacts>[]) => {
    const result = await takeAppointmentEvents(deps, ATTENTION_GROUP, events);
    if (result.added) logger.debug({ events: events.length, ...result }, "appointments needing attention: patients told");
  };
  return subscribe({
    ...options,
    group: ATTENTION_GROUP,
    streams: [STREAMS.appointments],
    types: ["AppointmentNeedsAttention"],
    batchHandler: take,
    handler: (event) => take([event]),
  });
}
