import type { Logger, Tracing } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import { createMemoryEventBus } from "./memory.js";
import { createRedisEventBus } from "./redis.js";
import { tracedBus } from "./tracing.js";

export * from "./bus.js";
export * from "./catalogue.js";
export * from "./envelope.js";
export * from "./idempotency.js";
export * from "./relay.js";
export * from "./transactionOutbox.js";
export * from "./live/index.js";
export { createMemoryEventBus } from "./memory.js";
export * from "./accessAudit.js";
export * from "./subscribe.js";
export { createRedisEventBus } from "./redis.js";
export { tracedBus, busTracing } from "./tracing.js";

/** Redis Streams when `redisUrl` (REDIS_URL) is set, otherwise the in-process bus (one process only). */
export async function createEventBus(options: { redisUrl?: string | undefined; logger?: Logger } = {}): Promise<EventBus> {
  const { redisUrl, ...rest } = options;
  return redisUrl ? createRedisEventBus({ url: redisUrl, ...rest }) : createMemoryEventBus(rest);
}

/**
 * A subgraph's bus: the process's shared one when given (its owner closes it), else its own from REDIS_URL.
 * `release()` closes the bus only when it is the subgraph's own. With `tracing` on, the subgraph sees the bus
 * through its tracing (publish and handling are spans of that service).
 */
export async function useEventBus(options: {
  shared?: EventBus;
  redisUrl?: string;
  logger?: Logger;
  tracing?: Tracing;
}): Promise<{ bus: EventBus; release(): Promise<void> }> {
  const view = (bus: EventBus) => (options.tracing ? tracedBus(bus, options.tracing) : bus);
  if (options.shared) return { bus: view(options.shared), release: async () => undefined };
  const bus = await createEventBus({ redisUrl: options.redisUrl, logger: options.logger });
  return { bus: view(bus), release: () => bus.close() };
}
