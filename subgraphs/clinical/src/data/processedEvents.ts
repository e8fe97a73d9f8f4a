/** clinical.processed_events: the event ids each consumer has handled, written in the transaction of its change. */
import type { ProcessedEvents } from "../domain/ports.js";
import type { Tx } from "./prisma.js";

export const createProcessedEvents = (db: Tx): ProcessedEvents => ({
  claim: async (consumer, eventId) =>
    (await db.$executeRaw`INSERT INTO clinical.processed_events (consumer, event_id) VALUES (${consumer}, ${eventId}) ON CONFLICT DO NOTHING`) > 0,
});
