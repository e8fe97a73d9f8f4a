/**
 * Fact-change signals on the live feed (Redis with REDIS_URL, so every instance's subscribers hear every change).
 * kpisToday recomputes at most once a second anyway, so a burst of events needs one signal, not one each: changes
 * within `coalesceMs` of the first are sent as one (named after the last event), which keeps ingestion from paying a
 * live-feed write per event.
 */
import type { LiveFeed } from "@clinigraph/events";
import type { Logger } from "@clinigraph/platform";
import type { FactSignals } from "../domain/ports.js";
import { FACTS_CHANGED_TOPIC } from "../domain/today.js";

export interface FactSignalOptions {
  coalesceMs?: number;
  /** Runs `send` after `ms` (tests drive it by hand). */
  later?: (send: () => void, ms: number) => void;
}

export function createFactSignals(live: LiveFeed, logger: Logger, options: FactSignalOptions = {}): FactSignals {
  const coalesceMs = options.coalesceMs ?? 200;
  const later = options.later ?? ((send, ms) => void setTimeout(send, ms).unref());
  let pending: string | null = null;
  const send = () => {
    const eventId = pending!;
    pending = null;
    live.publish(FACTS_CHANGED_TOPIC, { eventId }).catch((err: unknown) => logger.warn({ err }, "kpisToday signal not sent; the next change sends one"));
  };
  return {
    async changed(eventId) {
      const scheduled = pending !== null;
      pending = eventId;
      if (!scheduled) later(send, coalesceMs);
    },
  };
}
