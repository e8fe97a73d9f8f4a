/**
 * Keeps `accounts.care_relationships` from scheduling's appointment events and clinical's encounter
 * registrations (consumer group `accounts-care` on both streams, ADR 0011). At least once delivery: each event id is applied once
 * (`accounts.processed_events`, same transaction); a failing write is retried by the bus, then parked in
 * the dead-letter stream (`pnpm events:dlq`). Events without `doctorUserId` (written before issue 5)
 * are skipped: scheduling answers for those relationships when a doctor asks.
 */
import { STREAMS, type Consumer, type EventBus } from "@clinigraph/events";
import type { Logger } from "@clinigraph/platform";
import type { CareRelationshipRepository } from "../data/careRelationships.js";
import { careRelationshipFromEvent } from "../domain/careRelationships.js";

export const CARE_PROJECTION_GROUP = "accounts-care";

export function startCareProjection(options: {
  bus: EventBus;
  store: Pick<CareRelationshipRepository, "recordFromEvent">;
  logger: Logger;
  /** EVENTS_NAMESPACE */
  namespace?: string;
  consumer?: string;
}): Consumer {
  const { store, logger } = options;
  // Appointments (scheduling) and encounters (clinical: walk-ins have no appointment) both create one.
  const consumers = [STREAMS.appointments, STREAMS.clinical].map((stream) =>
    options.bus.consume({
      stream: `${options.namespace ?? ""}${stream}`,
      group: CARE_PROJECTION_GROUP,
      consumer: options.consumer ?? "accounts-care-1",
      blockMs: 1_000,
      handler: async (event) => {
        const relationship = careRelationshipFromEvent(event);
        if (!relationship) return;
        const applied = await store.recordFromEvent(CARE_PROJECTION_GROUP, event.id, relationship);
        if (!applied) logger.debug({ eventId: event.id, type: event.type }, "event already applied; skipped");
      },
    }),
  );
  return {
    stop: async () => void (await Promise.all(consumers.map((c) => c.stop()))),
    idle: async (timeoutMs) => void (await Promise.all(consumers.map((c) => c.idle(timeoutMs)))),
  };
}
