/**
 * The row-level rule of care relationships through the router (ADR 0011): a doctor reads a patient's record only with a
 * care relationship — an appointment with them. Without one, `patient(id)` is FORBIDDEN by the router's
 * API and by federation's `_entities`; the moment the patient requests an appointment, the doctor sees
 * the name on the live feed and the calendar (accounts asks scheduling when its event projection has not
 * caught up); another doctor still cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { callSubgraph } from "@clinigraph/testing";
import { closeFeeds, watchFeed } from "../support/feeds.js";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, requestSlot } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") };
let stack: Stack;
let url: string;
let adminToken: string;

interface Doctor {
  id: string;
  userId: string;
  token: string;
}
interface Patient {
  id: string;
  token: string;
  name: string;
}

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const login = (email: string, password: string) => signIn(url, email, password);

const createDoctor = (name: string): Promise<Doctor> => createScheduledDoctor(url, adminToken, name);

const registerPatient = async (name: string): Promise<Patient> => ({ ...(await registerE2EPatient(url, name)), name });

const freeSlot = (doctor: Doctor, index = 0) => freeSlotId(url, doctor.id, index);
const requestAppointment = (patient: Patient, slotId: string) => requestSlot(url, patient.token, slotId);

const PATIENT_NAME = `query($id: ID!) { patient(id: $id) { id name } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id name } } }`;
const CALENDAR = `query($d: ID!) { calendar(doctorId: $d, from: "2027-03-22T00:00:00Z", to: "2027-04-01T00:00:00Z") { id patient { id name } } }`;
const FEED = `subscription($d: ID!, $since: String) { appointmentRequests(doctorId: $d, since: $since) { type appointment { id patient { name } } } }`;

interface FeedEvent {
  type: string;
  appointment: { id: string; patient: { name: string } };
}

/**
 * A doctor's live feed through the router (graphql-ws) from the start of what it keeps (`since: "0"`): an
 * event is seen whenever the subscription opens, and any error in it fails the wait.
 */
const feedOf = (doctor: Doctor) => watchFeed<FeedEvent>(url, doctor.token, FEED, { d: doctor.id, since: "0" });

/** What a doctor gets for a patient: the name, or the error code. */
async function readAs(doctor: Doctor, patientId: string): Promise<string> {
  const res = await graphql<{ patient: { name: string } | null }>(url, PATIENT_NAME, { id: patientId }, doctor.token);
  return res.data?.patient?.name ?? String(res.errors?.[0]?.extensions?.code);
}

let doctorA: Doctor;
let doctorB: Doctor;

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  adminToken = await login(stack.admin.email, stack.admin.password);
  doctorA = await createDoctor("Dr. Alma Attending");
  doctorB = await createDoctor("Dr. Bruno Bystander");
});

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
});

describe("care relationships through the router", () => {
  it("a doctor without an appointment with the patient is refused: FORBIDDEN, and null with an error for the name", async () => {
    const patient = await registerPatient("Paula Private");
    const byId = await graphql<{ patient: { id: string } | null }>(
      url,
      `
        query ($id: ID!) {
          patient(id: $id) {
            id
          }
        }
      `,
      { id: patient.id },
      doctorA.token,
    );
    expect(byId.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const named = await graphql<{ patient: { name: string } | null }>(url, PATIENT_NAME, { id: patient.id }, doctorA.token);
    expect(named.data?.patient ?? null).toBeNull();
    expect(named.errors?.[0]).toMatchObject({ path: ["patient"], extensions: { code: "FORBIDDEN" } });
    // The federation path the router takes for Appointment.patient refuses alike.
    const entity = await callSubgraph<{ _entities: unknown[] }>(
      stack.subgraphs.accounts!.url,
      ENTITIES,
      { r: [{ __typename: "Patient", id: patient.id }] },
      { userId: doctorA.userId, role: "DOCTOR" },
    );
    expect(entity.data?._entities).toEqual([null]);
    expect(entity.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await stack.care.of(patient.id)).toEqual([]);
  });

  it("once the patient requests an appointment, the doctor sees the name on the live feed and the calendar at once; another doctor still cannot", async () => {
    const patient = await registerPatient("Paula Requesting");
    const feed = feedOf(doctorA);
    const id = await requestAppointment(patient, await freeSlot(doctorA));

    const event = await feed.until((e) => e.appointment.id === id);
    expect(event).toEqual({ type: "REQUESTED", appointment: { id, patient: { name: "Paula Requesting" } } });
    const calendar = await ok<{ calendar: { id: string; patient: { name: string } }[] }>(CALENDAR, { d: doctorA.id }, doctorA.token);
    expect(calendar.calendar.find((a) => a.id === id)?.patient.name).toBe("Paula Requesting");
    expect(await readAs(doctorA, patient.id)).toBe("Paula Requesting");

    expect(await readAs(doctorB, patient.id)).toBe("FORBIDDEN");
    const entity = await callSubgraph<{ _entities: unknown[] }>(
      stack.subgraphs.accounts!.url,
      ENTITIES,
      { r: [{ __typename: "Patient", id: patient.id }] },
      { userId: doctorB.userId, role: "DOCTOR" },
    );
    expect(entity.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    // The projection holds the relationship (from the event, or from scheduling's answer if that came first).
    await stack.eventsSettled();
    expect((await stack.care.of(patient.id)).map((r) => r.doctorUserId)).toEqual([doctorA.userId]);
  });

  it("the relationship survives the doctor's rejection: the rejected request stays readable on the doctor's calendar", async () => {
    const patient = await registerPatient("Paula Rejected");
    const id = await requestAppointment(patient, await freeSlot(doctorA));
    await ok(`mutation($id: ID!) { rejectAppointment(id: $id, reason: "fully booked") { id } }`, { id }, doctorA.token);
    await stack.eventsSettled();
    const calendar = await ok<{ calendar: { id: string; patient: { name: string } }[] }>(CALENDAR, { d: doctorA.id }, doctorA.token);
    expect(calendar.calendar.find((a) => a.id === id)?.patient.name).toBe("Paula Rejected");
    expect(await readAs(doctorB, patient.id)).toBe("FORBIDDEN");
  });

  it("with accounts' event consumer stopped, scheduling's synchronous answer alone lets the doctor see a new patient, and it is stored", async () => {
    await stack.care.stopProjection();
    const patient = await registerPatient("Paula Unprojected");
    const feed = feedOf(doctorA);
    const id = await requestAppointment(patient, await freeSlot(doctorA, 5));
    const event = await feed.until((e) => e.appointment.id === id);
    expect(event).toEqual({ type: "REQUESTED", appointment: { id, patient: { name: "Paula Unprojected" } } });
    expect((await stack.care.of(patient.id)).map((r) => [r.doctorUserId, r.source])).toEqual([[doctorA.userId, "appointment-check"]]);
    expect(await readAs(doctorB, patient.id)).toBe("FORBIDDEN");
  });
});
