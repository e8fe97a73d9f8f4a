/** Fact-change signals on the live feed (Redis with REDIS_URL, so every instance's subscribers hear every change). */
import type { LiveFeed } from "@clinigraph/events";
import type { FactSignals } from "../domain/ports.js";
import { FACTS_CHANGED_TOPIC } from "../domain/today.js";

export function createFactSignals(live: LiveFeed): FactSignals {
  return {
    async changed(eventId) {
      await live.publish(FACTS_CHANGED_TOPIC, { eventId });
    },
  };
}
