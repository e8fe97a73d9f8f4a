/**
 * Federated subscriptions through the router with a real graphql-ws client: the doctor's live feed and
 * the patient's updates carry fields owned by other subgraphs (patient name from accounts, doctor's
 * specialty from doctors), resume with `since` without gaps or duplicates, and refuse bad callers.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient, type Client, type ClientOptions } from "graphql-ws";
import WebSocket from "ws";
import { uniqueEmail } from "@clinigraph/testing";
import { expectData, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") };
let stack: Stack;
let url: string;
let wsUrl: string;
let adminToken: string;
const clients: Client[] = [];

interface FeedEvent {
  cursor: string;
  type: string;
  appointment: { id: string; status: string; patient: { name: string }; doctor: { name: string; specialty: { name: string } } };
}

const DOCTOR_FEED = `subscription($d: ID!, $since: String) { appointmentRequests(doctorId: $d, since: $since) {
  cursor type appointment { id status patient { name } doctor { name specialty { name } } } } }`;
const PATIENT_FEED = `subscription($since: String) { myAppointmentUpdates(since: $since) { cursor type appointment { id status startsAt } } }`;

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const login = (email: string, password: string) => signIn(url, email, password);

function connect(token: string | null, on?: ClientOptions["on"]): Client {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on,
  });
  clients.push(client);
  return client;
}

/** Collects a subscription's events; `take(n)` waits for the next n. */
function collect<T>(client: Client, query: string, variables: Record<string, unknown>) {
  const received: T[] = [];
  const errors: unknown[] = [];
  let waiters: (() => void)[] = [];
  const notify = () => {
    const current = waiters;
    waiters = [];
    current.forEach((w) => w());
  };
  const dispose = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) received.push(Object.values(result.data)[0] as T);
        notify();
      },
      error: (err) => {
        errors.push(err);
        notify();
      },
      complete: notify,
    },
  );
  /** Resolves at the next event or error (or after 200 ms, so deadlines are checked). */
  const changed = () =>
    new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  let consumed = 0;
  return {
    received,
    errors,
    dispose,
    async take(n: number, timeoutMs = 10_000): Promise<T[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < consumed + n) {
        if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`timed out: got ${received.length - consumed} of ${n}`);
        await changed();
      }
      const batch = received.slice(consumed, consumed + n);
      consumed += n;
      return batch;
    },
    /** The first event (received so far or next) that matches. */
    async until(match: (event: T) => boolean, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`timed out: no matching event among ${received.length}`);
        await changed();
      }
    },
    async firstError(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!errors.length && Date.now() < deadline) await changed();
      return errors[0];
    },
  };
}

let doctor: { id: string; token: string };
let patient: { id: string; token: string; name: string };
let slots: { id: string; startsAt: string }[];

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  wsUrl = url.replace("http", "ws");
  adminToken = await login(stack.admin.email, stack.admin.password);
  const email = uniqueEmail("dr.live");
  const created = await ok<{ createDoctor: { id: string } }>(
    `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`,
    {
      i: {
        email,
        password: "Doctor-password-1",
        name: "Dr. Live Feed",
        specialtyCode: "CARD",
        timezone: "Europe/Berlin",
        serviceCodes: ["SPECIALIST_CONSULT"],
        autoApprove: false,
      },
    },
    adminToken,
  );
  await ok(
    `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
    {
      d: created.createDoctor.id,
      r: ["MONDAY", "TUESDAY", "WEDNESDAY"].map((dayOfWeek) => ({ dayOfWeek, startTime: "09:00", endTime: "12:00", slotMinutes: 30 })),
    },
    adminToken,
  );
  await stack.eventsSettled(); // scheduling makes the slots on doctors' DoctorScheduleChanged event
  doctor = { id: created.createDoctor.id, token: await login(email, "Doctor-password-1") };
  const reg = await ok<{ registerPatient: { accessToken: string; user: { id: string } } }>(
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`,
    { i: { email: uniqueEmail("live.patient"), password: "Patient-password-1", name: "Lina Live" } },
  );
  patient = { id: reg.registerPatient.user.id, token: reg.registerPatient.accessToken, name: "Lina Live" };
  slots = (
    await ok<{ availableSlots: { id: string; startsAt: string }[] }>(`query($f: SlotFilter!) { availableSlots(filter: $f, first: 20) { id startsAt } }`, {
      f: { doctorId: doctor.id, from: "2027-03-22T00:00:00Z", to: "2027-04-01T00:00:00Z" },
    })
  ).availableSlots;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

const request = async (slotId: string) =>
  (
    await ok<{ requestAppointment: { id: string } }>(
      `mutation($s: ID!) { requestAppointment(input: { slotId: $s }) { ... on Appointment { id } } }`,
      { s: slotId },
      patient.token,
    )
  ).requestAppointment.id;

describe("federated subscriptions through the router", () => {
  it("the doctor sees a request with the patient's name and their own specialty; the patient sees approval, reschedule and cancel", async () => {
    // From the start of each feed (`since: "0"`; nothing happened yet): an event committed before a subscription is
    // open upstream is replayed, not lost, so no waiting for the subscriptions to open.
    const doctorFeed = collect<FeedEvent>(connect(doctor.token), DOCTOR_FEED, { d: doctor.id, since: "0" });
    const patientFeed = collect<FeedEvent>(connect(patient.token), PATIENT_FEED, { since: "0" });

    const id = await request(slots[0]!.id);
    const [requested] = await doctorFeed.take(1);
    expect(requested).toMatchObject({
      type: "REQUESTED",
      appointment: { id, status: "PENDING", patient: { name: "Lina Live" }, doctor: { name: "Dr. Live Feed", specialty: { name: "Cardiology" } } },
    });

    await ok(`mutation($id: ID!) { approveAppointment(id: $id) { id } }`, { id }, doctor.token);
    await ok(`mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) { __typename } }`, { id, s: slots[1]!.id }, patient.token);
    await ok(`mutation($id: ID!) { cancelAppointment(id: $id, reason: "feeling better") { id } }`, { id }, patient.token);

    const updates = await patientFeed.take(4);
    expect(updates.map((u) => u.type)).toEqual(["REQUESTED", "BOOKED", "RESCHEDULED", "CANCELLED"]);
    const doctorSide = await doctorFeed.take(3);
    expect(doctorSide.map((u) => u.type)).toEqual(["BOOKED", "RESCHEDULED", "CANCELLED"]);
    expect(new Set(updates.map((u) => u.cursor)).size).toBe(4);
    doctorFeed.dispose();
    patientFeed.dispose();
  });

  it("a feed resumed with `since` gets what it missed, in order, without duplicates, then live events", async () => {
    // The feed from its start: what the first test left is replayed first, then `a` (no wait for it to open).
    const first = collect<FeedEvent>(connect(doctor.token), DOCTOR_FEED, { d: doctor.id, since: "0" });
    // One live appointment per patient, doctor and day: a, b and c fall on Monday, Tuesday and Wednesday.
    const a = await request(slots[2]!.id);
    const seen = await first.until((e) => e.appointment.id === a);
    expect(seen.type).toBe("REQUESTED");
    first.dispose();

    // While the doctor is away: three more changes.
    await ok(`mutation($id: ID!) { rejectAppointment(id: $id, reason: "fully booked") { id } }`, { id: a }, doctor.token);
    const b = await request(slots[6]!.id);
    await ok(`mutation($id: ID!) { approveAppointment(id: $id) { id } }`, { id: b }, doctor.token);
    await stack.eventsSettled();

    const resumed = collect<FeedEvent>(connect(doctor.token), DOCTOR_FEED, { d: doctor.id, since: seen!.cursor });
    const missed = await resumed.take(3);
    expect(missed.map((e) => `${e.type}:${e.appointment.id}`)).toEqual([`REJECTED:${a}`, `REQUESTED:${b}`, `BOOKED:${b}`]);
    const c = await request(slots[12]!.id);
    const [live] = await resumed.take(1);
    expect(live).toMatchObject({ type: "REQUESTED", appointment: { id: c } });
    // Nothing twice: a later event (the doctor rejects c) is the next one delivered, and the feed holds exactly five.
    await ok(`mutation($id: ID!) { rejectAppointment(id: $id, reason: "fully booked") { id } }`, { id: c }, doctor.token);
    const [marker] = await resumed.take(1);
    expect(marker).toMatchObject({ type: "REJECTED", appointment: { id: c } });
    expect(resumed.received).toHaveLength(5);
    resumed.dispose();
  });

  it("identical subscriptions of one caller share one upstream subscription; ADMIN may watch any doctor", async () => {
    const gauge = async (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(await (await fetch(url.replace("/graphql", "/metrics"))).text())?.[1]);
    const before = await gauge("clinigraph_router_upstream_subscriptions");
    const feeds = [1, 2, 3].map(() => collect<FeedEvent>(connect(doctor.token), DOCTOR_FEED, { d: doctor.id }));
    const adminFeed = collect<FeedEvent>(connect(adminToken), DOCTOR_FEED, { d: doctor.id });
    // Subscribing is asynchronous (the protocol acknowledges nothing): wait until the router holds the upstream ones, then count.
    for (const deadline = Date.now() + 10_000; (await gauge("clinigraph_router_upstream_subscriptions")) - before < 2 && Date.now() < deadline;);
    expect((await gauge("clinigraph_router_upstream_subscriptions")) - before).toBe(2); // the doctor's three share one; the admin has their own
    expect(await gauge("clinigraph_router_ws_connections")).toBeGreaterThanOrEqual(4);
    const id = await request(slots[18]!.id); // the next Monday: the patient holds live appointments this Tuesday and Wednesday
    for (const feed of [...feeds, adminFeed]) expect((await feed.take(1))[0]).toMatchObject({ type: "REQUESTED", appointment: { id } });
    // Every feed has received an event, so every subscription is established: still the same two upstream.
    expect((await gauge("clinigraph_router_upstream_subscriptions")) - before).toBe(2);
    for (const feed of [...feeds, adminFeed]) feed.dispose();
  });

  it("callers of different identities share one upstream connection to scheduling, each with their own operation", async () => {
    const gauge = async (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(await (await fetch(url.replace("/graphql", "/metrics"))).text())?.[1]);
    const reg = await ok<{ registerPatient: { accessToken: string } }>(`mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken } }`, {
      i: { email: uniqueEmail("live.second"), password: "Patient-password-1", name: "Sami Second" },
    });
    const second = reg.registerPatient.accessToken;
    const before = await gauge("clinigraph_router_upstream_subscriptions");
    const doctorFeed = collect<FeedEvent>(connect(doctor.token), DOCTOR_FEED, { d: doctor.id });
    const adminFeed = collect<FeedEvent>(connect(adminToken), DOCTOR_FEED, { d: doctor.id });
    const patientFeed = collect<{ type: string; appointment: { id: string } }>(connect(second), PATIENT_FEED, {});
    for (const deadline = Date.now() + 10_000; (await gauge("clinigraph_router_upstream_subscriptions")) - before < 3 && Date.now() < deadline;);
    expect((await gauge("clinigraph_router_upstream_subscriptions")) - before).toBe(3);
    const { requestAppointment } = await ok<{ requestAppointment: { id: string } }>(
      `mutation($s: ID!) { requestAppointment(input: { slotId: $s }) { ... on Appointment { id } } }`,
      { s: slots[19]!.id },
      second,
    );
    const id = requestAppointment.id;
    expect((await doctorFeed.take(1))[0]).toMatchObject({ type: "REQUESTED", appointment: { id, patient: { name: "Sami Second" } } });
    expect((await adminFeed.take(1))[0]).toMatchObject({ type: "REQUESTED", appointment: { id, patient: { name: "Sami Second" } } });
    expect((await patientFeed.take(1))[0]).toMatchObject({ type: "REQUESTED", appointment: { id } });
    // Three identities, three operations, one socket from the router to scheduling.
    expect(await gauge("clinigraph_router_upstream_connections")).toBe(1);
    for (const feed of [doctorFeed, adminFeed, patientFeed]) feed.dispose();
  });

  it("closes a connection without a valid token with 4401", async () => {
    for (const token of [null, "not-a-token"]) {
      const closed = new Promise<number>((resolve) => {
        const client = connect(token, { closed: (e) => resolve((e as { code: number }).code) });
        client.subscribe({ query: PATIENT_FEED }, { next: () => undefined, error: () => undefined, complete: () => undefined });
      });
      expect(await closed).toBe(4401);
    }
  });

  it("refuses a patient who subscribes to a doctor's feed (FORBIDDEN)", async () => {
    const feed = collect<FeedEvent>(connect(patient.token), DOCTOR_FEED, { d: doctor.id });
    const error = (await feed.firstError()) as { extensions?: { code?: string } } | undefined;
    expect(error?.extensions?.code).toBe("FORBIDDEN");
  });
});
