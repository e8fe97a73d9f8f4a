/** clinical.processed_events: the event ids each consumer has handled, written in the transaction of its change. */
import type { Sql } from "@clinigraph/platform";
import type { ProcessedEvents } from "../domain/ports.js";

export const createProcessedEvents = (db: Sql): ProcessedEvents => ({
  claim: async (consumer, eventId) =>
    ((await db.query(`INSERT INTO clinical.processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [consumer, eventId])).rowCount ?? 0) >
    0,
});
