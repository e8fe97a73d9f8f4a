/**
 * Notifications' consumer of billing's invoice events (group `notifications-billing`): an issued invoice is told to
 * its patient — number and amounts only, each event once (domain/intake.ts records it with its deliveries).
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeInvoiceEvent } from "../../domain/intake.js";

export const BILLING_GROUP = "notifications-billing";

export function startBillingConsumer(options: ConsumerOptions<Pick<Deps, "unitOfWork" | "clock">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    group: BILLING_GROUP,
    streams: [STREAMS.billing],
    types: ["InvoiceIssued"],
    handler: async (event) => {
      const result = await takeInvoiceEvent(deps, BILLING_GROUP, event);
      if (!result.applied) logger.debug({ eventId: event.id, type: event.type }, "event handled before: nothing to do");
    },
  });
}
