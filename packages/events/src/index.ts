import type { Logger, ServiceMetrics, Tracing } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import { createMemoryEventBus } from "./memory.js";
import { createRedisEventBus } from "./redis.js";
import { instrumentBus } from "./metrics.js";
import { tracedBus } from "./tracing.js";

export * from "./bus.js";
export * from "./catalogue.js";
export * from "./envelope.js";
export * from "./idempotency.js";
export * from "./housekeeping.js";
export * from "./relay.js";
export * from "./transactionOutbox.js";
export * from "./live/index.js";
export { createMemoryEventBus } from "./memory.js";
export * from "./accessAudit.js";
export * from "./staffActions.js";
export * from "./subscribe.js";
export { createRedisEventBus } from "./redis.js";
export { tracedBus, busTracing } from "./tracing.js";
export * from "./metrics.js";

/** Redis Streams when `redisUrl` (REDIS_URL) is set, otherwise the in-process bus (one process only). */
export async function createEventBus(options: { redisUrl?: string | undefined; logger?: Logger } = {}): Promise<EventBus> {
  const { redisUrl, ...rest } = options;
  return redisUrl ? createRedisEventBus({ url: redisUrl, ...rest }) : createMemoryEventBus(rest);
}

/**
 * A subgraph's bus: the process's shared one when given (its owner closes it), else its own from REDIS_URL.
 * `release()` closes the bus only when it is the subgraph's own. With `metrics`, every consumer group started on the
 * returned bus is reported there (metrics.ts). With `tracing` on, the subgraph sees the bus through its tracing
 * (publish and handling are spans of that service). `consumers: false` (EVENT_CONSUMERS=off): the process publishes
 * but consumes nothing — every `consume` gives a consumer that reads no entry (see withoutConsumers).
 */
export async function useEventBus(options: {
  shared?: EventBus;
  redisUrl?: string;
  logger?: Logger;
  metrics?: ServiceMetrics;
  tracing?: Tracing;
  consumers?: boolean;
}): Promise<{ bus: EventBus; release(): Promise<void> }> {
  const own = options.shared ? undefined : await createEventBus({ redisUrl: options.redisUrl, logger: options.logger });
  const shared = (options.shared ?? own)!;
  const measured = options.metrics ? instrumentBus(shared, options.metrics) : shared;
  const traced = options.tracing ? tracedBus(measured, options.tracing) : measured;
  return { bus: options.consumers === false ? withoutConsumers(traced) : traced, release: async () => await own?.close() };
}

/**
 * The bus of a process whose consumers run elsewhere (an API replica): publishing, dead letters and group statistics as
 * `bus` does, and `consume` starts nothing — its consumer is idle at once and stops at once.
 */
export function withoutConsumers(bus: EventBus): EventBus {
  return {
    publish: (stream, events) => bus.publish(stream, events),
    consume: () => ({ stop: async () => undefined, idle: async () => undefined }),
    deadLetters: (stream, group) => bus.deadLetters(stream, group),
    replayDeadLetters: (stream, group, ids) => bus.replayDeadLetters(stream, group, ids),
    groupStats: (stream, group) => bus.groupStats(stream, group),
    trim: (stream, before) => bus.trim(stream, before),
    close: () => bus.close(),
  };
}
export * from "./subgraphEvents.js";
