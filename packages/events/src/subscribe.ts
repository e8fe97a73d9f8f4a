/**
 * The one way a subgraph consumes events (`events/consumers/<name>.ts`): a consumer group on one or more streams,
 * handing the handler only the event types it names, typed from the catalogue. Delivery is at least once (retries
 * with backoff, then the dead-letter stream: `pnpm events:dlq`); handlers must be idempotent.
 *
 *   export const startCareProjection = (options: ConsumerOptions<Deps>) =>
 *     subscribe({ ...options, group: "accounts-care", streams: [STREAMS.appointments], types: ["AppointmentBooked"],
 *       handler: (event) => recordCare(options.deps, event) });
 */
import { hostname } from "node:os";
import type { Logger } from "@clinigraph/platform";
import type { ConsumeOptions, Consumer, DeliveryInfo, EventBus } from "./bus.js";
import type { EventType } from "./catalogue.js";
import { isEvent, type CatalogueEnvelope } from "./envelope.js";
import { busTracing, inBatchConsumerSpans, inConsumerSpan } from "./tracing.js";

/** What every `start<Name>Consumer` of a subgraph takes. */
export interface ConsumerOptions<Deps> {
  bus: EventBus;
  deps: Deps;
  logger: Logger;
  /** EVENTS_NAMESPACE: prefix of the streams. */
  namespace?: string;
  /** This process's name in the group (default `<group>@<host name>`: one per machine or pod). */
  consumer?: string;
}

export interface SubscribeOptions<T extends EventType> {
  bus: EventBus;
  group: string;
  /** Stream names from STREAMS (the namespace is prefixed here). */
  streams: readonly string[];
  /** The event types handled; every other event on the streams is acknowledged without a call. */
  types: readonly T[];
  /** Handles one event; also the fallback of `batchHandler` (each event of a failed block on its own). */
  handler: (event: CatalogueEnvelope<T>, delivery: DeliveryInfo) => Promise<void>;
  /**
   * Handles the events of `types` in a block read (stream order) in one call, e.g. in one transaction; not
   * called when none of the block is of `types`. When it throws, `handler` takes each event of the block.
   */
  batchHandler?: (events: readonly CatalogueEnvelope<T>[]) => Promise<void>;
  /** Entries read per round trip (default: the bus's). */
  batchSize?: number;
  namespace?: string;
  consumer?: string;
  /** How long one read waits for new entries (default 1000 ms). */
  blockMs?: number;
}

export function subscribe<T extends EventType>(options: SubscribeOptions<T>): Consumer {
  // A traced bus (the service's view, see tracing.ts): each handled event is a span in its request's trace.
  const tracing = busTracing(options.bus);
  const handleBatch = options.batchHandler;
  const consumers = options.streams.map((stream) => {
    const name = `${options.namespace ?? ""}${stream}`;
    const batchHandler: ConsumeOptions["batchHandler"] = handleBatch
      ? async (batch) => {
          const events = batch.flatMap(({ event }) => (isEvent(event, ...options.types) ? [event] : []));
          if (events.length > 0) await inBatchConsumerSpans(tracing, name, options.group, events, () => handleBatch(events));
        }
      : undefined;
    return options.bus.consume({
      stream: name,
      group: options.group,
      consumer: options.consumer ?? `${options.group}@${hostname()}`,
      blockMs: options.blockMs ?? 1_000,
      handler: async (event, delivery) => {
        if (isEvent(event, ...options.types)) await inConsumerSpan(tracing, name, options.group, event, () => options.handler(event, delivery));
      },
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(batchHandler ? { batchHandler } : {}),
    });
  });
  return {
    stop: async () => void (await Promise.all(consumers.map((c) => c.stop()))),
    idle: async (timeoutMs) => void (await Promise.all(consumers.map((c) => c.idle(timeoutMs)))),
  };
}
