/** Analytics' consumer of billing's events (group `analytics-billing`): invoice and payment facts (revenue). */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeBillingEvent } from "../../domain/ingest.js";

export const BILLING_GROUP = "analytics-billing";

export function startBillingConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: BILLING_GROUP,
    streams: [STREAMS.billing],
    types: ["InvoiceIssued", "InvoiceVoided", "PaymentReceived", "PaymentRefunded"],
    handler: (event) => takeBillingEvent(options.deps, BILLING_GROUP, event),
  });
}
