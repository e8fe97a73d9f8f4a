/**
 * Live feeds pass the read policy at delivery: an appointment moved by reschedule from
 * doctor A to doctor B and then rejected by B is FORBIDDEN to A by `appointment(id)`, so A's feed must not
 * deliver it either — neither on a `since` replay nor live (here: the bridge lagging behind the changes).
 * The feed skips the event and goes on: a later event A may read arrives (the marker every check waits for).
 * B, who may read it, and the patient still get it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { closeFeeds, watchFeed } from "../support/feeds.js";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, requestSlot } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") }; // Monday
let stack: Stack;
let url: string;
let adminToken: string;

interface Doctor {
  id: string;
  token: string;
}
interface Patient {
  id: string;
  token: string;
}

interface FeedEvent {
  type: string;
  appointment: { id: string; status: string; doctor: { id: string }; history: { action: string; reason: string | null }[] };
}

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const login = (email: string, password: string) => signIn(url, email, password);

const EVENT = `type appointment { id status doctor { id } history { action reason } }`;
const DOCTOR_FEED = `subscription($d: ID!, $since: String) { appointmentRequests(doctorId: $d, since: $since) { ${EVENT} } }`;
const PATIENT_FEED = `subscription($since: String) { myAppointmentUpdates(since: $since) { ${EVENT} } }`;
const REASON = "Outside my specialty";

const createDoctor = (name: string): Promise<Doctor> => createScheduledDoctor(url, adminToken, name);

const registerPatient = (name: string): Promise<Patient> => registerE2EPatient(url, name);

const freeSlot = (doctor: Doctor, index = 0) => freeSlotId(url, doctor.id, index);
const requestAppointment = (patient: Patient, slotId: string) => requestSlot(url, patient.token, slotId);

/** The patient requests an appointment with A, moves it to B's slot, and B rejects it with a reason. */
async function moveAwayAndReject(patient: Patient, a: Doctor, b: Doctor): Promise<string> {
  const id = await requestAppointment(patient, await freeSlot(a, 0));
  const moved = await ok<{ rescheduleAppointment: { __typename: string; status?: string } }>(
    `mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) { __typename ... on Appointment { status } } }`,
    { id, s: await freeSlot(b, 0) },
    patient.token,
  );
  expect(moved.rescheduleAppointment).toEqual({ __typename: "Appointment", status: "PENDING" }); // B approves by hand
  await ok(`mutation($id: ID!, $r: String) { rejectAppointment(id: $id, reason: $r) { id } }`, { id, r: REASON }, b.token);
  return id;
}

/** What `appointment(id)` answers A: the policy the feeds must follow. */
async function readAs(doctor: Doctor, id: string): Promise<string> {
  const res = await graphql<{ appointment: { id: string } | null }>(
    url,
    `
      query ($id: ID!) {
        appointment(id: $id) {
          id
        }
      }
    `,
    { id },
    doctor.token,
  );
  return res.data?.appointment?.id ?? String(res.errors?.[0]?.extensions?.code);
}

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  adminToken = await login(stack.admin.email, stack.admin.password);
});

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
});

describe("live feeds deliver only what the subscriber may read at delivery", () => {
  it("a `since` replay skips an appointment moved to another doctor and rejected there; the feed goes on", async () => {
    const [a, b] = [await createDoctor("Dr. Ada Former"), await createDoctor("Dr. Ben Latter")];
    const [patient, other] = [await registerPatient("Mona Moved"), await registerPatient("Otto Other")];
    const moved = await moveAwayAndReject(patient, a, b);
    const marker = await requestAppointment(other, await freeSlot(a, 1)); // after it, on A's feed
    await stack.eventsSettled();
    expect(await readAs(a, moved)).toBe("FORBIDDEN");

    const feedA = watchFeed<FeedEvent>(url, a.token, DOCTOR_FEED, { d: a.id, since: "0" });
    await feedA.until((e) => e.appointment.id === marker);
    expect(feedA.received.map((e) => e.appointment.id)).toEqual([marker]);
    expect(JSON.stringify(feedA.received)).not.toContain(REASON);

    // Those who may read it still get it, with B's reason.
    const feedB = watchFeed<FeedEvent>(url, b.token, DOCTOR_FEED, { d: b.id, since: "0" });
    const rejected = await feedB.until((e) => e.type === "REJECTED");
    expect(rejected.appointment).toMatchObject({ id: moved, status: "REJECTED", doctor: { id: b.id } });
    expect(rejected.appointment.history.map((h) => h.reason)).toContain(REASON);
    const mine = watchFeed<FeedEvent>(url, patient.token, PATIENT_FEED, { since: "0" });
    await mine.until((e) => e.type === "REJECTED");
    expect(mine.received.map((e) => e.type)).toEqual(["REQUESTED", "RESCHEDULED", "REJECTED"]);
  });

  it("a live subscriber is not handed an appointment that moved away before its event was delivered", async () => {
    const [a, b] = [await createDoctor("Dr. Cleo Former"), await createDoctor("Dr. Dan Latter")];
    const [patient, other] = [await registerPatient("Nina Moved"), await registerPatient("Paul Other")];
    const opener = await requestAppointment(other, await freeSlot(a, 1));
    const feedA = watchFeed<FeedEvent>(url, a.token, DOCTOR_FEED, { d: a.id, since: "0" });
    await feedA.until((e) => e.appointment.id === opener); // A's subscription is open: what follows comes live

    // The bridge lags: the request with A is still undelivered when the appointment moves to B and is rejected.
    await stack.liveBridge.stop();
    let moved: string;
    try {
      moved = await moveAwayAndReject(patient, a, b);
      await ok(`mutation($id: ID!) { approveAppointment(id: $id) { id } }`, { id: opener }, a.token); // the marker, after it
    } finally {
      stack.liveBridge.start();
    }
    expect(await readAs(a, moved)).toBe("FORBIDDEN");

    await feedA.until((e) => e.type === "BOOKED" && e.appointment.id === opener);
    expect(feedA.received.map((e) => `${e.type}:${e.appointment.id}`)).toEqual([`REQUESTED:${opener}`, `BOOKED:${opener}`]);
    expect(JSON.stringify(feedA.received)).not.toContain(REASON);
  });
});
