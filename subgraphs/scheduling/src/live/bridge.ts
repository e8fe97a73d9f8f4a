/**
 * From the event bus to the live feeds: scheduling consumes its own appointment stream (consumer group
 * `scheduling-live`) and publishes each event to the doctor's and the patient's feed. The bus delivers
 * at least once; feeds drop an event id they have already published.
 */
import { STREAMS, type EventBus, type LiveFeed } from "@clinigraph/events";
import type { Logger } from "@clinigraph/platform";
import { LIVE_EVENT_TYPES, doctorTopic, patientTopic } from "./eventTypes.js";

export function startLiveBridge(options: { bus: EventBus; live: LiveFeed; logger: Logger; namespace?: string; consumer?: string }) {
  const { live, logger } = options;
  return options.bus.consume({
    stream: `${options.namespace ?? ""}${STREAMS.appointments}`,
    group: "scheduling-live",
    consumer: options.consumer ?? "scheduling-live-1",
    blockMs: 1_000,
    handler: async (event) => {
      const type = LIVE_EVENT_TYPES[event.type];
      if (!type) return;
      const data = event.data as { appointmentId?: string; doctorId?: string; patientId?: string };
      if (!data.appointmentId || !data.doctorId || !data.patientId) {
        logger.warn({ eventId: event.id, type: event.type }, "appointment event without ids; skipped");
        return;
      }
      const message = { eventId: event.id, type, appointmentId: data.appointmentId, at: event.time };
      await live.publish(doctorTopic(data.doctorId), message);
      await live.publish(patientTopic(data.patientId), message);
    },
  });
}
