/**
 * Analytics end to end through the router, every subgraph real: a patient books, scheduling's events reach
 * analytics, and a stakeholder sees the booking in the KPIs of the day, by doctor and by specialty; nobody else may
 * ask.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { uniqueEmail } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") }; // Monday, 08:00 in Berlin (the clinic's time zone)
const TODAY = "2027-03-22";
let stack: Stack;
let url: string;
let admin: string;
let stakeholder: string;
let doctor: ScheduledDoctor;

const KPIS = `query($from: Date!, $to: Date!, $g: Granularity!, $f: KpiFilter) {
  kpis(from: $from, to: $to, granularity: $g, filter: $f) { period suppressed patients appointmentsRequested appointmentsBooked cancelled medianLeadTimeHours } }`;

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now, env: { ANALYTICS_MIN_CELL: "1" } });
  url = stack.routerUrl;
  admin = await signIn(url, stack.admin.email, stack.admin.password);
  const email = uniqueEmail("stakeholder");
  await expectData(
    url,
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email, password: "Stakeholder-password-1", name: "Stella Stakeholder", role: "STAKEHOLDER" } },
    admin,
  );
  stakeholder = await signIn(url, email, "Stakeholder-password-1");
  doctor = await createScheduledDoctor(url, admin, "Dr. Metric", { autoApprove: true });
});

afterAll(async () => {
  await stack?.stop();
});

describe("analytics through the router", () => {
  it("a booking reaches the stakeholder's KPIs of its day, by doctor and by specialty", async () => {
    const patient = await registerE2EPatient(url, "Kai Counted");
    const slotId = await freeSlotId(url, doctor.id, 0, { from: `${TODAY}T00:00:00Z`, to: `${TODAY}T23:59:59Z` });
    const booked = await expectData<{ requestAppointment: { id: string; status: string } }>(
      url,
      `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id status } } }`,
      { i: { slotId } },
      patient.token,
    );
    expect(booked.requestAppointment.status).toBe("BOOKED");
    await stack.eventsSettled();

    const byDoctor = await expectData<{ kpis: Record<string, unknown>[] }>(
      url,
      KPIS,
      { from: TODAY, to: TODAY, g: "DAY", f: { doctorId: doctor.id } },
      stakeholder,
    );
    expect(byDoctor.kpis).toEqual([
      { period: TODAY, suppressed: false, patients: 1, appointmentsRequested: 1, appointmentsBooked: 1, cancelled: 0, medianLeadTimeHours: expect.any(Number) },
    ]);
    const bySpecialty = await expectData<{ kpis: { appointmentsBooked: number }[] }>(
      url,
      KPIS,
      { from: TODAY, to: TODAY, g: "WEEK", f: { specialty: "CARD" } },
      stakeholder,
    );
    expect(bySpecialty.kpis[0]!.appointmentsBooked).toBeGreaterThanOrEqual(1);

    await expectData(url, `mutation($id: ID!) { cancelAppointment(id: $id) { status } }`, { id: booked.requestAppointment.id }, patient.token);
    await stack.eventsSettled();
    const after = await expectData<{ kpis: Record<string, unknown>[] }>(
      url,
      KPIS,
      { from: TODAY, to: TODAY, g: "DAY", f: { doctorId: doctor.id } },
      stakeholder,
    );
    expect(after.kpis[0]).toMatchObject({ appointmentsBooked: 1, cancelled: 1 });
  });

  it("refuses patients and doctors", async () => {
    const patient = await registerE2EPatient(url, "Nosy Patient");
    for (const token of [patient.token, doctor.token]) {
      const answer = await graphql(url, KPIS, { from: TODAY, to: TODAY, g: "DAY", f: null }, token);
      expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
  });

  it("kpisToday sends today's figures over graphql-ws, and again after a booking", async () => {
    const client = createClient({
      url: url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${stakeholder}` },
    });
    const feed = client.iterate<{ kpisToday: { period: string; appointmentsBooked: number | null } }>({
      query: "subscription { kpisToday { period appointmentsBooked } }",
    });
    try {
      const first = await feed.next();
      expect(first.value?.data?.kpisToday.period).toBe(TODAY);
      const before = first.value!.data!.kpisToday.appointmentsBooked!;
      const patient = await registerE2EPatient(url, "Lena Live");
      const slotId = await freeSlotId(url, doctor.id, 0, { from: `${TODAY}T00:00:00Z`, to: `${TODAY}T23:59:59Z` });
      await expectData(
        url,
        `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id } } }`,
        { i: { slotId } },
        patient.token,
      );
      // Each push is today's figures as they stand: the booking shows up in one of the next ones.
      let latest = before;
      while (latest === before) latest = (await feed.next()).value!.data!.kpisToday.appointmentsBooked!;
      expect(latest).toBe(before + 1);
    } finally {
      await feed.return?.();
      await client.dispose();
    }
  });

  it("kpisToday refuses a patient", async () => {
    const patient = await registerE2EPatient(url, "Peeking Patient");
    const client = createClient({
      url: url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${patient.token}` },
    });
    try {
      const feed = client.iterate({ query: "subscription { kpisToday { period } }" });
      const answer = await feed.next().catch((errors: unknown) => ({ value: { errors } }));
      expect(JSON.stringify(answer.value)).toContain("FORBIDDEN");
    } finally {
      await client.dispose();
    }
  });
});
