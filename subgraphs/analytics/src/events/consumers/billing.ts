/** Analytics' consumer of billing's events (group `analytics-billing`): invoice and payment facts (revenue). */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { billingWrite, takeEvents } from "../../domain/ingest.js";
import { INGEST_BATCH } from "./batch.js";

export const BILLING_GROUP = "analytics-billing";

export function startBillingConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: BILLING_GROUP,
    streams: [STREAMS.billing],
    types: ["InvoiceIssued", "InvoiceVoided", "PaymentReceived", "PaymentRefunded"],
    batchSize: INGEST_BATCH,
    batchHandler: (events) => takeEvents(options.deps, BILLING_GROUP, events, billingWrite),
    handler: (event) => takeEvents(options.deps, BILLING_GROUP, [event], billingWrite),
  });
}
