/**
 * A subgraph's event plumbing in one call, the same in every subgraph's `start<Name>`: its view of the bus (the
 * process's shared one or its own, reported in its metrics, traced, without consumers when EVENT_CONSUMERS=off), its
 * outbox relay and its housekeeping (ADR 8, 24, 25, 26).
 */
import type { Logger, ServiceMetrics, SqlPool, Tracing } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import { startEventHousekeeping, type EventHousekeeping, type EventRetention } from "./housekeeping.js";
import { useEventBus } from "./index.js";
import { startSubgraphRelay, type OutboxRelay } from "./relay.js";

/** What it reads of the subgraph's configuration (platform `readSubgraphBase`). */
export interface SubgraphEventSettings {
  databaseUrl: string;
  redisUrl?: string;
  namespace: string;
  eventConsumers: boolean;
  eventRetention: EventRetention;
}

export interface SubgraphEvents<Relay extends OutboxRelay | null = OutboxRelay> {
  bus: EventBus;
  /** The outbox relay; null for a subgraph without an outbox. */
  relay: Relay;
  housekeeping: EventHousekeeping;
  /** Stops the relay, then the housekeeping (the consumers are the subgraph's to stop, before this). */
  stopWorkers(): Promise<void>;
  /** Closes the bus if it is the subgraph's own. */
  release(): Promise<void>;
}

export interface SubgraphEventsOptions {
  service: string;
  settings: SubgraphEventSettings;
  logger: Logger;
  metrics?: ServiceMetrics;
  tracing?: Tracing;
  /** The process's shared bus (tests, `pnpm start`); else one from REDIS_URL. */
  shared?: EventBus;
  /** false: the subgraph has no outbox, so no relay. */
  relay?: boolean;
  /**
   * The subgraph's own pool: the relay's rounds and the housekeeping borrow from it (only the relay's LISTEN holds a
   * connection of its own); else they open pools of their own.
   */
  pool?: SqlPool;
}

export async function startSubgraphEvents(options: SubgraphEventsOptions & { relay: false }): Promise<SubgraphEvents<null>>;
export async function startSubgraphEvents(options: SubgraphEventsOptions & { relay?: true }): Promise<SubgraphEvents>;
export async function startSubgraphEvents(options: SubgraphEventsOptions): Promise<SubgraphEvents<OutboxRelay | null>> {
  const { service, settings, logger, metrics } = options;
  const { bus, release } = await useEventBus({
    tracing: options.tracing,
    shared: options.shared,
    consumers: settings.eventConsumers,
    redisUrl: settings.redisUrl,
    logger,
    metrics,
  });
  const relay =
    options.relay === false
      ? null
      : startSubgraphRelay({ service, databaseUrl: settings.databaseUrl, pool: options.pool, namespace: settings.namespace, bus, logger, metrics });
  // Published outbox rows, handled stream entries and old processed-event ids go after their retention (ADR 26).
  const housekeeping = startEventHousekeeping({
    service,
    databaseUrl: settings.databaseUrl,
    pool: options.pool,
    bus,
    namespace: settings.namespace,
    retention: settings.eventRetention,
    logger,
  });
  return {
    bus,
    relay,
    housekeeping,
    async stopWorkers() {
      await relay?.stop();
      await housekeeping.stop();
    },
    release,
  };
}
