/**
 * The notifications subgraph's /metrics (ADR 24): appointment events consumed, deliveries settled by channel, kind and
 * outcome, how late each was sent (first attempts and retries apart), and what is due and not sent yet — with the
 * scheduler driven by the harness's fake clock and an e-mail channel the test controls.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { STREAMS } from "@clinigraph/events";
import { sampleValue, scrape, scrapeUntil, type Exposition } from "@clinigraph/testing";
import { DeliveryFailure, type Channel } from "../src/domain/ports.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
let metricsUrl: string;
const email = {
  failNext: false,
  sent: 0,
  channel: {
    channel: "EMAIL",
    notConfigured: null,
    async send() {
      if (email.failNext) {
        email.failNext = false;
        throw new DeliveryFailure("the relay is busy", false);
      }
      email.sent++;
      return { providerMessageId: null };
    },
    close: async () => undefined,
  } satisfies Channel,
};

beforeAll(async () => {
  h = await startHarness({ channels: { EMAIL: email.channel }, retry: { firstDelayMs: 30_000, maxDelayMs: 60_000, maxAttempts: 3 } });
  metricsUrl = h.url.replace(/\/graphql$/, "/metrics");
});
afterAll(async () => {
  await h?.stop();
});

const value = (e: Exposition, name: string, labels: Record<string, string> = {}) => sampleValue(e, name, { service: "notifications", ...labels }) ?? 0;
const overdue = (e: Exposition) => value(e, "clinigraph_notifications_overdue_deliveries", { status: "scheduled" });
const oldestOverdue = (e: Exposition) => value(e, "clinigraph_notifications_oldest_overdue_seconds", { status: "scheduled" });

describe("notifications' /metrics", () => {
  it("counts the events consumed, the deliveries by outcome and how late they were sent, and what waits past its due time", async () => {
    const p = h.patientAndDoctor();
    h.clock.now = new Date("2027-03-01T09:00:00Z");
    const booked = h.appointment(p, "2027-03-10T08:30:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked }]);

    // The confirmation is due at once (the reminders later): one overdue, due for 0 s.
    let e = await scrapeUntil(metricsUrl, (x) => overdue(x) === 1 && oldestOverdue(x) === 0);
    const group = { stream: STREAMS.appointments, group: "notifications-appointments" };
    expect(value(e, "clinigraph_events_handled_total", group)).toBe(1);
    expect(value(e, "clinigraph_events_consumer_lag", group)).toBe(0);
    expect(value(e, "clinigraph_events_consumer_pending", group)).toBe(0);

    expect(await h.dispatch()).toMatchObject({ sent: 1 });
    e = await scrapeUntil(metricsUrl, (x) => overdue(x) === 0);
    expect(value(e, "clinigraph_notifications_deliveries_total", { channel: "EMAIL", kind: "APPOINTMENT_BOOKED", outcome: "sent" })).toBe(1);
    const first = { channel: "EMAIL", attempt: "first" };
    expect(value(e, "clinigraph_notifications_delivery_lateness_seconds_count", first)).toBe(1);
    expect(value(e, "clinigraph_notifications_delivery_lateness_seconds_sum", first)).toBe(0);

    // Five minutes past the day-before reminder: it waits, 300 s overdue; its first attempt fails for now.
    h.clock.now = new Date("2027-03-09T08:35:00Z");
    e = await scrapeUntil(metricsUrl, (x) => overdue(x) === 1 && oldestOverdue(x) === 300);
    email.failNext = true;
    expect(await h.dispatch()).toMatchObject({ retried: 1 });
    // Retried 30 s later (the retry policy), sent two minutes later: 90 s late as a retry.
    h.clock.now = new Date("2027-03-09T08:37:00Z");
    expect(await h.dispatch()).toMatchObject({ sent: 1 });
    e = await scrape(metricsUrl);
    const reminder = { channel: "EMAIL", kind: "APPOINTMENT_REMINDER" };
    expect(value(e, "clinigraph_notifications_deliveries_total", { ...reminder, outcome: "retried" })).toBe(1);
    expect(value(e, "clinigraph_notifications_deliveries_total", { ...reminder, outcome: "sent" })).toBe(1);
    expect(value(e, "clinigraph_notifications_deliveries_total", { ...reminder, outcome: "failed" })).toBe(0);
    const retry = { channel: "EMAIL", attempt: "retry" };
    expect(value(e, "clinigraph_notifications_delivery_lateness_seconds_count", retry)).toBe(1);
    expect(value(e, "clinigraph_notifications_delivery_lateness_seconds_sum", retry)).toBe(90);
    expect(value(e, "clinigraph_notifications_delivery_lateness_seconds_bucket", { ...retry, le: "60" })).toBe(0);
    expect(value(e, "clinigraph_notifications_delivery_lateness_seconds_bucket", { ...retry, le: "120" })).toBe(1);
    expect(value(e, "clinigraph_notifications_delivery_lateness_seconds_count", first)).toBe(1); // the reminder's first try was not sent
    expect(email.sent).toBe(2);
  });
});
