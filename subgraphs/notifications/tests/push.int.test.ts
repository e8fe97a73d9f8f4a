/**
 * Web push through the whole subgraph: browsers are registered with the GraphQL API, a booking event arrives on the
 * bus, the scheduler's pass (fake clock) sends the confirmation to a local HTTPS push service
 * (tests/support/pushService.ts), and the test reads what each browser received by decrypting it with that
 * browser's keys. A subscription the push service says is gone (410) is forgotten.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { createPushChannel, generateVapidKeys } from "../src/channels/index.js";
import { startHarness, type Harness } from "./support/harness.js";
import { startPushService, type Browser, type PushService } from "./support/pushService.js";

const vapid = { ...generateVapidKeys(), subject: "mailto:operations@clinic.example" };
let service: PushService;
let h: Harness;

beforeAll(async () => {
  service = await startPushService();
  // The channel trusts the local push service through its agent; the same VAPID keys in the environment make
  // pushPublicKey answer the key the channel signs with (what a browser subscribes with).
  h = await startHarness({
    channels: { PUSH: createPushChannel({ vapid, agent: service.agent }) },
    env: { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: vapid.subject },
  });
});

afterAll(async () => {
  await h?.stop();
  await service?.stop();
});

const REGISTER = `mutation ($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) }`;
const UNREGISTER = `mutation ($endpoint: String!) { unregisterPushSubscription(endpoint: $endpoint) }`;

async function register(caller: { userId: string; role: "PATIENT" }, browser: Browser) {
  const res = await h.call(REGISTER, caller, { input: browser.input });
  expect(res.errors).toBeUndefined();
  expect(res.data!.registerPushSubscription).toBe(true);
}

const storedEndpoints = async (userId: string) =>
  (
    await queryDatabase<{ endpoint: string }>(h.db.url, "SELECT endpoint FROM notifications.push_subscriptions WHERE user_id = $1 ORDER BY created_at", [
      userId,
    ])
  ).map((row) => row.endpoint);

interface Pushed {
  title: string;
  body: string;
  url?: string;
}

describe("web push through the subgraph", () => {
  it("a booking reaches the patient's healthy browser, encrypted for it; the browser the push service says is gone is forgotten", async () => {
    const p = h.patientAndDoctor();
    const laptop = service.browser("ok");
    const oldTablet = service.browser("gone");
    await register(p.patient, laptop);
    await register(p.patient, oldTablet);
    const prefs = await h.call(`mutation { updateNotificationPreferences(input: { channels: [PUSH] }) { channels } }`, p.patient);
    expect(prefs.errors).toBeUndefined();
    expect(prefs.data!.updateNotificationPreferences).toEqual({ channels: ["PUSH"] });
    expect(await storedEndpoints(p.patientId)).toEqual([laptop.subscription.endpoint, oldTablet.subscription.endpoint]);

    h.clock.now = new Date("2027-03-01T09:00:00Z");
    const booked = h.appointment(p, "2027-03-10T08:30:00.000Z"); // 09:30 in Berlin (CET)
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked }]);
    await h.dispatch();

    const [pushed, ...more] = service.requestsTo(laptop.subscription.endpoint);
    expect(more).toEqual([]);
    expect(pushed!.headers["content-encoding"]).toBe("aes128gcm");
    expect(String(pushed!.headers.authorization)).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`));
    const payload = JSON.parse(service.decrypt(pushed!.body, laptop)) as Pushed;
    const link = `https://app.clinic.example/appointments/${booked.appointmentId}`;
    expect(payload.title).toContain("Appointment confirmed");
    expect(payload.body).toContain("9:30");
    expect(payload.body).toContain("Europe/Berlin");
    expect(payload.body).toContain(link);
    expect(payload.url).toBe(link);
    // The laptop's keys are not the tablet's: its push cannot be read with them.
    expect(() => service.decrypt(pushed!.body, oldTablet)).toThrow();
    // The push service was asked for the tablet too, answered 410, and the subscription is gone.
    expect(service.requestsTo(oldTablet.subscription.endpoint)).toHaveLength(1);
    expect(await storedEndpoints(p.patientId)).toEqual([laptop.subscription.endpoint]);

    const log = await h.call("{ myNotifications { edges { node { kind channel status attempts lastError sentAt appointmentId } } } }", p.patient);
    expect(log.errors).toBeUndefined();
    const nodes = (log.data!.myNotifications as { edges: { node: Record<string, unknown> }[] }).edges.map((edge) => edge.node);
    expect(nodes.filter((node) => node.kind === "APPOINTMENT_BOOKED")).toEqual([
      {
        kind: "APPOINTMENT_BOOKED",
        channel: "PUSH",
        status: "SENT",
        attempts: 1,
        lastError: null,
        sentAt: expect.any(String),
        appointmentId: booked.appointmentId,
      },
    ]);
    expect(nodes.filter((node) => node.kind === "APPOINTMENT_REMINDER").map((node) => `${node.channel}:${node.status}`)).toEqual([
      "PUSH:SCHEDULED",
      "PUSH:SCHEDULED",
    ]);

    // A second booking goes to the laptop only.
    h.clock.now = new Date("2027-03-02T09:00:00Z");
    const second = h.appointment(p, "2027-03-11T13:00:00.000Z"); // 14:00 in Berlin
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: second }]);
    await h.dispatch();
    const toLaptop = service.requestsTo(laptop.subscription.endpoint);
    expect(toLaptop).toHaveLength(2);
    const secondPayload = JSON.parse(service.decrypt(toLaptop[1]!.body, laptop)) as Pushed;
    expect(secondPayload.body).toContain("2:00 PM");
    expect(secondPayload.url).toBe(`https://app.clinic.example/appointments/${second.appointmentId}`);
    expect(service.requestsTo(oldTablet.subscription.endpoint)).toHaveLength(1);
    // Forgotten means the patient has nothing left to unregister for the tablet.
    const unregistered = await h.call(UNREGISTER, p.patient, { endpoint: oldTablet.subscription.endpoint });
    expect(unregistered.data!.unregisterPushSubscription).toBe(false);
  });

  it.each([
    ["an http endpoint", "input.endpoint", (b: Browser) => ({ ...b.input, endpoint: b.input.endpoint.replace("https:", "http:") })],
    ["a p256dh of 64 bytes", "input.keys.p256dh", (b: Browser) => ({ ...b.input, keys: { ...b.input.keys, p256dh: randomBytes(64).toString("base64url") } })],
    ["an auth of 15 bytes", "input.keys.auth", (b: Browser) => ({ ...b.input, keys: { ...b.input.keys, auth: randomBytes(15).toString("base64url") } })],
  ])("registerPushSubscription refuses %s (BAD_USER_INPUT on %s) and stores nothing", async (_name, field, spoil) => {
    const p = h.patientAndDoctor();
    const res = await h.call(REGISTER, p.patient, { input: spoil(service.browser()) });
    expect(res.data?.registerPushSubscription ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await storedEndpoints(p.patientId)).toEqual([]);
  });

  it("unregisterPushSubscription forgets the caller's browser once, and never another user's", async () => {
    const p = h.patientAndDoctor();
    const phone = service.browser();
    await register(p.patient, phone);
    const unregister = async (userId: string) =>
      (await h.call(UNREGISTER, { userId, role: "PATIENT" }, { endpoint: phone.subscription.endpoint })).data!.unregisterPushSubscription;

    expect(await unregister(randomUUID())).toBe(false);
    expect(await storedEndpoints(p.patientId)).toEqual([phone.subscription.endpoint]);
    expect(await unregister(p.patientId)).toBe(true);
    expect(await unregister(p.patientId)).toBe(false);
    expect(await storedEndpoints(p.patientId)).toEqual([]);
  });

  it("pushPublicKey answers the configured VAPID public key, also to a caller who is not signed in", async () => {
    const res = await h.call("{ pushPublicKey }");
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ pushPublicKey: vapid.publicKey });
  });
});
