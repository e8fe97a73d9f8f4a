/**
 * The event flow of one service as Prometheus metrics, in the service's registry (platform's ServiceMetrics; ADR 24):
 *
 * Consumers (every consumer group the service runs on its bus, `instrumentBus`), labelled `stream` and `group`
 * (stream names carry EVENTS_NAMESPACE as their prefix):
 * - `clinigraph_events_consumer_lag`: entries not yet delivered to the group (Redis XINFO GROUPS `lag`);
 * - `clinigraph_events_consumer_pending`: delivered and not acknowledged yet;
 * - `clinigraph_events_dead_letter_entries`: entries in the group's dead-letter stream (`pnpm events:dlq`);
 * - `clinigraph_events_handled_total`, `clinigraph_events_redeliveries_total{reason}` (`retry`: the handler failed
 *   and runs again; `recovered`, `claimed`: handed again after a restart or a takeover) and
 *   `clinigraph_events_dead_lettered_total`, counted by this process.
 * The three gauges are the group's, read from the log at scrape time: every replica of a service reports the same
 * value (aggregate them with max, not sum).
 *
 * Outbox (the service's relay, `observeOutbox`), labelled `outbox` (its schema): `clinigraph_outbox_unpublished_events`,
 * `clinigraph_outbox_oldest_unpublished_age_seconds` (by the row's `occurred_at`), `clinigraph_outbox_published_total`
 * and `clinigraph_outbox_relay_failures_total`.
 */
import type { ServiceMetrics } from "@clinigraph/platform";
import type { ConsumerObserver, EventBus, GroupStats } from "./bus.js";

/**
 * The bus as the service uses it, reporting every consumer group started through it. Stopping or closing goes to
 * the bus itself; a shared bus stays its owner's to close.
 */
export function instrumentBus(bus: EventBus, metrics: ServiceMetrics): EventBus {
  const labelNames = ["stream", "group"] as const;
  const handled = metrics.counter({ name: "clinigraph_events_handled_total", help: "Event entries a consumer group handled and acknowledged", labelNames });
  const redeliveries = metrics.counter({
    name: "clinigraph_events_redeliveries_total",
    help: "Event entries handed to a consumer again: after its handler failed (retry), or after a restart (recovered) or a takeover (claimed)",
    labelNames: [...labelNames, "reason"] as const,
  });
  const deadLettered = metrics.counter({
    name: "clinigraph_events_dead_lettered_total",
    help: "Event entries parked in their group's dead-letter stream",
    labelNames,
  });

  /** Every group this service consumes, by `stream\0group`. */
  const groups = new Map<string, { stream: string; group: string }>();
  const stats = metrics.sampled("event_consumers", () =>
    Promise.all([...groups.values()].map(async (labels) => ({ labels, stats: await bus.groupStats(labels.stream, labels.group) }))),
  );
  const groupGauge = (name: string, help: string, read: (stats: GroupStats) => number | null) =>
    metrics.gauge({
      name,
      help,
      labelNames,
      async collect() {
        const sample = await stats();
        this.reset();
        for (const { labels, stats } of sample ?? []) {
          const value = stats ? read(stats) : null;
          if (value !== null) this.set(labels, value);
        }
      },
    });
  groupGauge("clinigraph_events_consumer_lag", "Entries of the stream not yet delivered to the consumer group", (s) => s.lag);
  groupGauge("clinigraph_events_consumer_pending", "Entries delivered to the consumer group and not acknowledged yet", (s) => s.pending);
  groupGauge("clinigraph_events_dead_letter_entries", "Entries in the consumer group's dead-letter stream", (s) => s.deadLetters);

  return {
    publish: (stream, events) => bus.publish(stream, events),
    consume(options) {
      const labels = { stream: options.stream, group: options.group };
      groups.set(`${labels.stream}\0${labels.group}`, labels);
      // Every series exists from the consumer's start, at 0: rate() and increase() see the first event.
      handled.inc(labels, 0);
      deadLettered.inc(labels, 0);
      for (const reason of ["retry", "recovered", "claimed"] as const) redeliveries.inc({ ...labels, reason }, 0);
      const observer: ConsumerObserver = {
        handled: (count) => handled.inc(labels, count),
        redelivered: (reason, count) => redeliveries.inc({ ...labels, reason }, count),
        deadLettered: (count) => deadLettered.inc(labels, count),
      };
      const outer = options.observer;
      return bus.consume({
        ...options,
        observer: outer
          ? {
              handled: (n) => (observer.handled(n), outer.handled(n)),
              redelivered: (reason, n) => (observer.redelivered(reason, n), outer.redelivered(reason, n)),
              deadLettered: (n) => (observer.deadLettered(n), outer.deadLettered(n)),
            }
          : observer,
      });
    },
    deadLetters: (stream, group) => bus.deadLetters(stream, group),
    replayDeadLetters: (stream, group, ids) => bus.replayDeadLetters(stream, group, ids),
    groupStats: (stream, group) => bus.groupStats(stream, group),
    trim: (stream, before) => bus.trim(stream, before),
    close: () => bus.close(),
  };
}

/** An outbox as its relay sees it now. */
export interface OutboxStats {
  unpublished: number;
  /** Seconds since the oldest unpublished row occurred (0 when there is none). */
  oldestUnpublishedAgeSeconds: number;
}

/** What a relay reports as it goes. */
export interface OutboxObserver {
  published(count: number): void;
  failed(): void;
  /** The relay stopped: its outbox is no longer reported by this process. */
  stop(): void;
}

/** The outboxes reported in each registry, by `outbox` label. */
const outboxes = new WeakMap<ServiceMetrics, Map<string, () => Promise<OutboxStats | undefined>>>();

/**
 * Reports a relay's outbox under `outbox="<name>"` (the schema, e.g. "scheduling"); `stats` is asked at scrape time
 * (one query, see the module comment).
 */
export function observeOutbox(metrics: ServiceMetrics, name: string, stats: () => Promise<OutboxStats>): OutboxObserver {
  const labelNames = ["outbox"] as const;
  const published = metrics.counter({ name: "clinigraph_outbox_published_total", help: "Outbox rows the relay published to the event bus", labelNames });
  const failures = metrics.counter({
    name: "clinigraph_outbox_relay_failures_total",
    help: "Relay rounds that failed (the rows stay unpublished and are tried again)",
    labelNames,
  });
  const registered = outboxes.get(metrics) ?? new Map<string, () => Promise<OutboxStats | undefined>>();
  if (!outboxes.has(metrics)) {
    const all = registered;
    outboxes.set(metrics, all);
    const outboxGauge = (gaugeName: string, help: string, read: (stats: OutboxStats) => number) =>
      metrics.gauge({
        name: gaugeName,
        help,
        labelNames,
        async collect() {
          const samples = await Promise.all([...all].map(async ([outbox, sample]) => ({ outbox, value: await sample() })));
          this.reset();
          for (const { outbox, value } of samples) if (value) this.set({ outbox }, read(value));
        },
      });
    outboxGauge("clinigraph_outbox_unpublished_events", "Outbox rows not published yet", (s) => s.unpublished);
    outboxGauge(
      "clinigraph_outbox_oldest_unpublished_age_seconds",
      "Age of the oldest outbox row not published yet (0 when every row is published), seconds",
      (s) => s.oldestUnpublishedAgeSeconds,
    );
  }
  registered.set(name, metrics.sampled(`outbox_${name}`, stats));
  const labels = { outbox: name };
  published.inc(labels, 0); // the series exists from the start: rate() sees the first publication
  failures.inc(labels, 0);
  return {
    published: (count) => published.inc(labels, count),
    failed: () => failures.inc(labels),
    stop: () => void registered.delete(name),
  };
}
