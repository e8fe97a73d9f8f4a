/**
 * From the event bus to the live feeds: scheduling consumes its own appointment stream (consumer group
 * `scheduling-live`) and publishes each event to the doctor's and the patient's feed. The bus delivers
 * at least once; feeds drop an event id they have already published. What a feed carries is the event
 * and the appointment's id: subscribers read the appointment at delivery, under the read policy
 * (resolvers/Subscription.ts), however late the bridge delivers.
 */
import { STREAMS, type Consumer, type EventBus, type LiveFeed } from "@clinigraph/events";
import type { Logger } from "@clinigraph/platform";
import { doctorTopic, liveEventType, patientTopic, STAFF_ONLY_TYPES, type AppointmentFeedMessage } from "./eventTypes.js";

/** The bridge's consumer, with a switch: stopped, events wait in the stream; started again, it goes on where it stopped. */
export interface LiveBridge extends Consumer {
  readonly running: boolean;
  start(): void;
}

type BridgeOptions = { bus: EventBus; live: LiveFeed; logger: Logger; namespace?: string; consumer?: string };

export function startLiveBridge(options: BridgeOptions): LiveBridge {
  let consumer: Consumer | null = consumeAppointments(options);
  return {
    get running() {
      return consumer !== null;
    },
    start() {
      consumer ??= consumeAppointments(options);
    },
    async stop() {
      const running = consumer;
      consumer = null;
      await running?.stop();
    },
    /** Resolves when the running bridge has published everything in the stream (at once when stopped). */
    idle: (timeoutMs) => consumer?.idle(timeoutMs) ?? Promise.resolve(),
  };
}

function consumeAppointments(options: BridgeOptions): Consumer {
  const { live, logger } = options;
  return options.bus.consume({
    stream: `${options.namespace ?? ""}${STREAMS.appointments}`,
    group: "scheduling-live",
    consumer: options.consumer ?? "scheduling-live-1",
    blockMs: 1_000,
    handler: async (event) => {
      const type = liveEventType(event.type);
      if (!type) return;
      const data = event.data as { appointmentId?: string; doctorId?: string; patientId?: string };
      if (!data.appointmentId || !data.doctorId || !data.patientId) {
        logger.warn({ eventId: event.id, type: event.type }, "appointment event without ids; skipped");
        return;
      }
      const message: AppointmentFeedMessage = { eventId: event.id, type, appointmentId: data.appointmentId, at: event.time };
      // Both feeds at once (one write to Redis); a failure retries the event, and a feed that had it ignores it again.
      // A staff-only type (NEEDS_ATTENTION) goes to the doctor's feed alone.
      const toPatient = !STAFF_ONLY_TYPES.has(type);
      await Promise.all([live.publish(doctorTopic(data.doctorId), message), ...(toPatient ? [live.publish(patientTopic(data.patientId), message)] : [])]);
    },
  });
}
