/**
 * Traces through the event bus. A service's view of the bus (`tracedBus`) carries its tracing: publishing an event
 * is a PRODUCER span and handling it (in `subscribe`) a CONSUMER span, both children of the context the event was
 * written in — the CloudEvents `traceparent` extension, which the outbox takes from the transaction's active span.
 * So the consumer's work, and the statements it runs, join the trace of the request that caused the event.
 */
import { SpanKind, contextFromTraceparent, failSpan, withActiveSpan, type Attributes, type Span, type Tracing } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import type { EventEnvelope } from "./envelope.js";

const TRACING = Symbol("clinigraph.tracing");

/** The bus as one service sees it: the same streams and consumers, with that service's spans. */
export function tracedBus(bus: EventBus, tracing: Tracing): EventBus {
  if (!tracing.enabled) return bus;
  const inner = unwrap(bus);
  async function publish(stream: string, events: readonly EventEnvelope[]): Promise<void> {
    const spans = events.map((event) =>
      tracing.tracer.startSpan(
        `publish ${event.type}`,
        { kind: SpanKind.PRODUCER, attributes: messagingAttributes(stream, event, "send") },
        contextFromTraceparent(event.traceparent),
      ),
    );
    try {
      await inner.publish(stream, events);
    } catch (err) {
      for (const span of spans) failSpan(span, err);
      throw err;
    } finally {
      for (const span of spans) span.end();
    }
  }
  // Everything else is the bus's own (bound to it), whatever methods the bus has.
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(inner, {
    get(target, property) {
      if (property === "publish") return publish;
      if (property === TRACING) return tracing;
      if (property === "inner") return inner;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (!bound.has(property)) bound.set(property, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(property);
    },
  });
}

const unwrap = (bus: EventBus): EventBus => (bus as { inner?: EventBus }).inner ?? bus;

/** The tracing a bus view carries (undefined for a bus that is not traced). */
export const busTracing = (bus: EventBus): Tracing | undefined => (bus as { [TRACING]?: Tracing })[TRACING];

function messagingAttributes(stream: string, event: EventEnvelope, operation: "send" | "process", group?: string): Attributes {
  return {
    "messaging.system": "redis_streams",
    "messaging.destination.name": stream,
    "messaging.operation.type": operation,
    "messaging.message.id": event.id,
    "cloudevents.event_id": event.id,
    "cloudevents.event_type": event.type,
    "cloudevents.event_source": event.source,
    ...(group ? { "messaging.consumer.group.name": group } : {}),
  };
}

/** Runs one event's handler in a CONSUMER span, child of the event's `traceparent`. */
export async function inConsumerSpan<T>(tracing: Tracing | undefined, stream: string, group: string, event: EventEnvelope, work: () => Promise<T>): Promise<T> {
  if (!tracing?.enabled) return work();
  const parent = contextFromTraceparent(event.traceparent);
  const span = tracing.tracer.startSpan(
    `process ${event.type}`,
    { kind: SpanKind.CONSUMER, attributes: messagingAttributes(stream, event, "process", group) },
    parent,
  );
  try {
    return await withActiveSpan(span, work, parent);
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Runs a block's handler with one CONSUMER span per event, each the child of its own event's context; the block's
 * work (one transaction for all) runs in the first event's span. A failure marks them all.
 */
export async function inBatchConsumerSpans<T>(
  tracing: Tracing | undefined,
  stream: string,
  group: string,
  events: readonly EventEnvelope[],
  work: () => Promise<T>,
): Promise<T> {
  if (!tracing?.enabled || events.length === 0) return work();
  const started = events.map((event) => {
    const parent = contextFromTraceparent(event.traceparent);
    const attributes = { ...messagingAttributes(stream, event, "process", group), "messaging.batch.message_count": events.length };
    const span: Span = tracing.tracer.startSpan(`process ${event.type}`, { kind: SpanKind.CONSUMER, attributes }, parent);
    return { span, parent };
  });
  const first = started[0]!;
  try {
    return await withActiveSpan(first.span, work, first.parent);
  } catch (err) {
    for (const { span } of started) failSpan(span, err);
    throw err;
  } finally {
    for (const { span } of started) span.end();
  }
}
