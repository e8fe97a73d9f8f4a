/** Events for subgraph tests: publish catalogue events on a bus and wait until the subgraph's consumers handled them. */
import { createEnvelope, type EventBus, type EventCatalogue, type EventType, type StreamName } from "@clinigraph/events";

export interface TestEvent<T extends EventType> {
  type: T;
  data: EventCatalogue[T];
  /** The envelope id (a redelivery: publish the same id again). */
  id?: string;
  /** When it happened (default `defaultTime`). */
  time?: string;
}

/** Publishes the events in order on `stream` and waits until every consumer is idle; answers the envelope ids. */
export async function publishAndSettle<T extends EventType>(
  bus: EventBus,
  consumers: readonly { idle(timeoutMs?: number): Promise<void> }[],
  stream: StreamName,
  events: readonly TestEvent<T>[],
  defaultTime: Date,
): Promise<string[]> {
  const envelopes = events.map((event) =>
    createEnvelope(event.type, event.data, { ...(event.id ? { id: event.id } : {}), time: event.time ?? defaultTime.toISOString() }),
  );
  await bus.publish(stream, envelopes);
  for (const consumer of consumers) await consumer.idle();
  return envelopes.map((envelope) => envelope.id);
}
