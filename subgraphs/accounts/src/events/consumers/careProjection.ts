/**
 * Keeps `accounts.care_relationships` from scheduling's appointment events and clinical's encounter
 * registrations (consumer group `accounts-care` on both streams, ADR 0011). At least once delivery: each event id is
 * applied once (`accounts.processed_events`, same transaction); a failing write is retried by the bus, then parked in
 * the dead-letter stream (`pnpm events:dlq`). A block read is applied in one statement (the event ids and their
 * relationships together); when that fails, each event of the block is applied on its own. Events without `doctorUserId` (written before scheduling sent it) are
 * skipped: scheduling answers for those relationships when a doctor asks.
 */
import { APPOINTMENT_EVENT_TYPES, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { recordCareFromEvent, recordCareFromEvents } from "../../domain/careRelationships.js";
import type { Deps } from "../../domain/deps.js";

export const CARE_PROJECTION_GROUP = "accounts-care";

export function startCareProjection(options: ConsumerOptions<Pick<Deps, "careRelationships">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    // The name unacknowledged entries are recovered under (kept from the first deployments).
    consumer: options.consumer ?? "accounts-care-1",
    group: CARE_PROJECTION_GROUP,
    // Appointments (scheduling) and encounters (clinical: walk-ins have no appointment) both create one.
    streams: [STREAMS.appointments, STREAMS.clinical],
    types: [...APPOINTMENT_EVENT_TYPES, "EncounterRegistered"],
    handler: async (event) => {
      if (!(await recordCareFromEvent(deps, CARE_PROJECTION_GROUP, event)))
        logger.debug({ eventId: event.id, type: event.type }, "no relationship, or event already applied; skipped");
    },
    batchHandler: async (events) => {
      const applied = await recordCareFromEvents(deps, CARE_PROJECTION_GROUP, events);
      if (applied < events.length) logger.debug({ events: events.length, applied }, "some events had no relationship or were applied already");
    },
  });
}
