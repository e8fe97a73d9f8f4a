/** doctors.processed_events: the events doctors' consumers handled, claimed in the transaction of their effect. */
import { claimEvent } from "@clinigraph/events";
import type { ProcessedEvents } from "../domain/ports.js";
import type { Prisma } from "./prisma.js";

export function createProcessedEvents(tx: Prisma.TransactionClient): ProcessedEvents {
  return {
    claim: (consumer, eventId) =>
      claimEvent(
        {
          query: async (text, values) => ({ rowCount: await tx.$executeRawUnsafe(text, ...(values ?? [])), rows: [] }),
        },
        "doctors",
        consumer,
        eventId,
      ),
  };
}
