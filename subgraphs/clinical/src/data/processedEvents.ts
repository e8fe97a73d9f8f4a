/** clinical.processed_events: the event ids each consumer has handled, written in the transaction of its change. */
import { claimEvent } from "@clinigraph/events";
import type { Sql } from "@clinigraph/platform";
import type { ProcessedEvents } from "../domain/ports.js";

export const createProcessedEvents = (db: Sql): ProcessedEvents => ({
  claim: (consumer, eventId) => claimEvent(db, "clinical", consumer, eventId),
});
