/**
 * The notifications scheduler as Prometheus metrics (ADR 24), in the service's registry:
 * - `clinigraph_notifications_deliveries_total{channel, kind, outcome}`: attempts settled (`sent`, `retried`: a
 *   temporary failure, due again later, `failed`: for good);
 * - `clinigraph_notifications_delivery_lateness_seconds{channel, attempt}`: how late a delivery was sent after it was
 *   due (a reminder: its appointment's start minus the offset the user chose), `attempt` `first` or `retry` (a retry
 *   is measured from the time its backoff made it due);
 * - `clinigraph_notifications_overdue_deliveries` and `clinigraph_notifications_oldest_overdue_seconds`: what is due
 *   and not sent yet, read at scrape time — these grow when no scheduler runs, when the histogram says nothing.
 * Labels are the schema's enumerations (channel, kind) and fixed words; kinds outside the catalogue count as `OTHER`.
 */
import type { ServiceMetrics } from "@clinigraph/platform";
import { isNotificationKind } from "../domain/messages.js";
import type { DeliveryMetrics } from "../domain/ports.js";

/** From a second late (a pass's normal delay) to hours (the scheduler was down). */
const LATENESS_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

export function createDeliveryMetrics(
  metrics: ServiceMetrics,
  overdue: () => Promise<{ count: number; oldestDueAt: Date | null }>,
  clock: () => Date,
): DeliveryMetrics {
  const deliveries = metrics.counter({
    name: "clinigraph_notifications_deliveries_total",
    help: "Delivery attempts the notifications scheduler settled, by channel, kind and outcome (sent, retried, failed)",
    labelNames: ["channel", "kind", "outcome"] as const,
  });
  const lateness = metrics.histogram({
    name: "clinigraph_notifications_delivery_lateness_seconds",
    help: "How long after its due time a delivery was sent (reminders: the appointment's start minus the chosen offset), seconds",
    labelNames: ["channel", "attempt"] as const,
    buckets: LATENESS_BUCKETS,
  });
  const sample = metrics.sampled("notifications_overdue", overdue);
  metrics.gauge({
    name: "clinigraph_notifications_overdue_deliveries",
    help: "Scheduled deliveries already due and not sent yet",
    labelNames: ["status"] as const,
    async collect() {
      const value = await sample();
      this.reset();
      if (value) this.set({ status: "scheduled" }, value.count);
    },
  });
  metrics.gauge({
    name: "clinigraph_notifications_oldest_overdue_seconds",
    help: "How long the longest-waiting due delivery has been due (0 when none is), seconds",
    labelNames: ["status"] as const,
    async collect() {
      const value = await sample();
      this.reset();
      if (value) this.set({ status: "scheduled" }, value.oldestDueAt ? Math.max(0, (clock().getTime() - value.oldestDueAt.getTime()) / 1000) : 0);
    },
  });
  return {
    attempted({ channel, kind, outcome, attempts, dueAt, at }) {
      deliveries.inc({ channel, kind: isNotificationKind(kind) ? kind : "OTHER", outcome });
      if (outcome === "sent") lateness.observe({ channel, attempt: attempts > 1 ? "retry" : "first" }, Math.max(0, (at.getTime() - dueAt.getTime()) / 1000));
    },
  };
}
