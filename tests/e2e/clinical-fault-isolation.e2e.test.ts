/**
 * Fault isolation (the hospital's requirement), through the router on a fake clock: while the
 * clinical subgraph is down, reception checks three patients in (scheduling answers), a query mixing
 * scheduling and clinical fields answers scheduling's part plus an error with a code for clinical's, and
 * the router's `/ready` names clinical. When clinical returns, the encounters for the three check-ins
 * appear (its consumer group resumes where it stopped) — exactly once each, also after a restart and
 * after every event of the stream is delivered again.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient } from "redis";
import { STREAMS } from "@clinigraph/events";
import { uniqueEmail } from "@clinigraph/testing";
import { expectData, graphql, startStack, type Stack } from "../support/stack.js";

// Monday 2027-03-22 07:00 UTC = 08:00 in Berlin (the clinic's zone); the doctor works 09:00–12:00, so
// today's slots are within check-in's window (it opens 12 h before the start).
const clock = { now: new Date("2027-03-22T07:00:00Z") };
const TODAY = "2027-03-22";
const PASSWORD = "Fault-isolation-1";

let stack: Stack;
let url: string;
let adminToken: string;
let receptionToken: string;
let doctor: { id: string; token: string };
const patients: { id: string; token: string; appointmentId?: string }[] = [];

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

async function login(email: string, password: string) {
  const data = await ok<{ login: { accessToken: string } }>(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
    e: email,
    p: password,
  });
  return data.login.accessToken;
}

interface EncounterRow {
  id: string;
  status: string;
  patient: { id: string };
  doctor: { id: string };
  appointment: { id: string } | null;
}
const ENCOUNTERS = `query($d: Date) { encounters(date: $d) { id status patient { id } doctor { id } appointment { id } } }`;
const encountersOfToday = async (token: string) => (await ok<{ encounters: EncounterRow[] }>(ENCOUNTERS, { d: TODAY }, token)).encounters;

/** Appointment id → how many encounters name it. */
const perAppointment = (rows: EncounterRow[]) =>
  rows.reduce<Record<string, number>>((acc, row) => ({ ...acc, [row.appointment?.id ?? "walk-in"]: (acc[row.appointment?.id ?? "walk-in"] ?? 0) + 1 }), {});

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  adminToken = await login(stack.admin.email, stack.admin.password);

  const doctorEmail = uniqueEmail("fi.dr");
  const { createDoctor } = await ok<{ createDoctor: { id: string } }>(
    `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`,
    {
      i: {
        email: doctorEmail,
        password: PASSWORD,
        name: "Dr. Always There",
        specialtyCode: "GP",
        timezone: "Europe/Berlin",
        serviceCodes: ["GENERAL_CHECKUP"],
        autoApprove: true,
      },
    },
    adminToken,
  );
  const weekdays = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];
  await ok(
    `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
    { d: createDoctor.id, r: weekdays.map((dayOfWeek) => ({ dayOfWeek, startTime: "09:00", endTime: "12:00", slotMinutes: 30 })) },
    adminToken,
  );
  await stack.eventsSettled(); // scheduling makes the slots on doctors' DoctorScheduleChanged event
  doctor = { id: createDoctor.id, token: await login(doctorEmail, PASSWORD) };

  const receptionEmail = uniqueEmail("fi.reception");
  await ok(
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email: receptionEmail, password: PASSWORD, name: "Rita Reception", role: "RECEPTIONIST" } },
    adminToken,
  );
  receptionToken = await login(receptionEmail, PASSWORD);

  // Three patients book today's first three slots (the doctor approves automatically).
  const { availableSlots } = await ok<{ availableSlots: { id: string; startsAt: string }[] }>(
    `query($f: SlotFilter!) { availableSlots(filter: $f, first: 3) { id startsAt } }`,
    { f: { doctorId: doctor.id, from: `${TODAY}T00:00:00Z`, to: `${TODAY}T23:59:59Z` } },
  );
  expect(availableSlots.map((s) => s.startsAt)).toEqual(["2027-03-22T08:00:00.000Z", "2027-03-22T08:30:00.000Z", "2027-03-22T09:00:00.000Z"]);
  for (const [i, slot] of availableSlots.entries()) {
    const registered = await ok<{ registerPatient: { accessToken: string; user: { id: string } } }>(
      `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`,
      { i: { email: uniqueEmail(`fi.patient${i}`), password: PASSWORD, name: `Patient ${i + 1}` } },
    );
    const patient = { id: registered.registerPatient.user.id, token: registered.registerPatient.accessToken };
    const booked = await ok<{ requestAppointment: { id: string; status: string } }>(
      `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id status } } }`,
      { i: { slotId: slot.id } },
      patient.token,
    );
    expect(booked.requestAppointment.status).toBe("BOOKED");
    patients.push({ ...patient, appointmentId: booked.requestAppointment.id });
  }
  await stack.eventsSettled();
});

afterAll(async () => {
  await stack?.stop();
});

describe("clinical down: reception keeps working, the router answers what it can", () => {
  it("before the outage, the clinical subgraph answers through the router (no encounters yet)", async () => {
    expect(await encountersOfToday(receptionToken)).toEqual([]);
  });

  it("reception checks the three patients in while clinical is down", async () => {
    await stack.clinical.stop();
    for (const patient of patients) {
      const res = await graphql<{ checkInAppointment: { id: string; status: string } }>(
        url,
        `
          mutation ($id: ID!) {
            checkInAppointment(id: $id) {
              id
              status
            }
          }
        `,
        { id: patient.appointmentId },
        receptionToken,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.checkInAppointment).toEqual({ id: patient.appointmentId, status: "CHECKED_IN" });
    }
    // The check-in events are relayed to the stream meanwhile; nobody in clinical reads them yet.
    await stack.eventsSettled();
  });

  it("a query mixing scheduling and clinical fields answers scheduling's part and an error with a code for clinical's", async () => {
    const res = await graphql<{ calendar: { id: string; status: string }[]; encounters: unknown }>(
      url,
      `
        query ($from: DateTime!, $to: DateTime!, $d: Date) {
          calendar(from: $from, to: $to) {
            id
            status
          }
          encounters(date: $d) {
            id
          }
        }
      `,
      { from: `${TODAY}T00:00:00Z`, to: `${TODAY}T23:59:59Z`, d: TODAY },
      receptionToken,
    );
    expect(res.status).toBe(200);
    expect(res.data?.calendar.map((a) => [a.id, a.status]).sort()).toEqual(patients.map((p) => [p.appointmentId, "CHECKED_IN"]).sort());
    // Query.encounters is nullable for this very reason: a non-null root field would null the whole answer.
    expect(res.data?.encounters).toBeNull();
    // The gateway reports a failed fetch without a path; the error names the subgraph instead.
    expect(res.errors).toEqual([{ message: 'Service "clinical" is unavailable', extensions: { code: "SERVICE_UNAVAILABLE", serviceName: "clinical" } }]);
  });

  it("a clinical-only query fails with the same code, and scheduling-only queries are untouched", async () => {
    const clinicalOnly = await graphql(url, ENCOUNTERS, { d: TODAY }, receptionToken);
    expect(clinicalOnly.status).toBeLessThan(500);
    expect(clinicalOnly.errors?.map((e) => e.extensions?.code)).toEqual(["SERVICE_UNAVAILABLE"]);
    const schedulingOnly = await graphql<{ appointment: { status: string } }>(
      url,
      `
        query ($id: ID!) {
          appointment(id: $id) {
            status
          }
        }
      `,
      { id: patients[0]!.appointmentId },
      receptionToken,
    );
    expect(schedulingOnly).toEqual({ status: 200, data: { appointment: { status: "CHECKED_IN" } } });
  });

  it("the router's /ready reports clinical as down (503), /health stays up", async () => {
    const ready = await fetch(url.replace("/graphql", "/ready"));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", service: "router", down: ["clinical"] });
    expect((await fetch(url.replace("/graphql", "/health"))).status).toBe(200);
  });
});

describe("clinical returns: every check-in made meanwhile becomes an encounter, exactly once", () => {
  it("the three encounters appear (ARRIVED, by appointment), for reception and on the doctor's list", async () => {
    await stack.clinical.start();
    await stack.eventsSettled();
    const rows = await encountersOfToday(receptionToken);
    expect(perAppointment(rows)).toEqual(Object.fromEntries(patients.map((p) => [p.appointmentId, 1])));
    for (const patient of patients)
      expect(rows.find((r) => r.appointment?.id === patient.appointmentId)).toMatchObject({
        status: "ARRIVED",
        patient: { id: patient.id },
        doctor: { id: doctor.id },
      });
    const doctorsList = await encountersOfToday(doctor.token);
    expect(doctorsList.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    const ready = await fetch(url.replace("/graphql", "/ready"));
    expect(ready.status).toBe(200);
  });

  it("a second restart delivers nothing twice", async () => {
    const before = await encountersOfToday(receptionToken);
    await stack.clinical.stop();
    await stack.clinical.start();
    await stack.eventsSettled();
    expect(await encountersOfToday(receptionToken)).toEqual(before);
  });

  it("every appointment event delivered again (consumer group rewound while clinical is down) creates no second encounter", async () => {
    const before = await encountersOfToday(receptionToken);
    await stack.clinical.stop();
    const redis = createClient({ url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" });
    await redis.connect();
    try {
      const stream = `${new URL(stack.databaseUrl).pathname.slice(1)}:${STREAMS.appointments}`;
      expect(await redis.xLen(stream)).toBeGreaterThanOrEqual(6); // 3 bookings + 3 check-ins at least
      await redis.sendCommand(["XGROUP", "SETID", stream, "clinical-appointments", "0"]);
    } finally {
      await redis.quit();
    }
    await stack.clinical.start();
    await stack.eventsSettled();
    expect(await encountersOfToday(receptionToken)).toEqual(before);
  });
});
