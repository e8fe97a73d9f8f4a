/**
 * Scheduling through the router (HTTP), on a fake clock: search by specialty → request → the doctor
 * approves → reception checks in → the doctor fulfils (or marks no-show); reschedule; cancel frees the
 * slot for another patient; 200 concurrent requests for one slot; check-in while accounts and doctors
 * are down.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { expireHolds } from "@clinigraph/scheduling";
import { createScheduledDoctor, registerE2EPatient } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

// Monday 2027-03-22 07:00 UTC = 08:00 in Berlin; the DST change (2027-03-28) lies within the test's week.
const clock = { now: new Date("2027-03-22T07:00:00Z") };
const at = (iso: string) => (clock.now = new Date(iso));
let stack: Stack;
let url: string;
let adminToken: string;

const PASSWORD = "Patient-password-1";
const SLOT_FIELDS = "id startsAt endsAt status doctor { id name specialty { code } }";
const APPOINTMENT_FIELDS =
  "id status startsAt holdExpiresAt allowedTransitions patient { id name } doctor { id name } history { action fromStatus toStatus actorRole }";
const REQUEST = `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) {
  __typename ... on Appointment { ${APPOINTMENT_FIELDS} } ... on SlotUnavailable { code message alternatives { id startsAt doctor { id } } } } }`;

interface Slot {
  id: string;
  startsAt: string;
  doctor: { id: string; name: string; specialty: { code: string } };
}
interface Appointment {
  id: string;
  status: string;
  startsAt: string;
  allowedTransitions: string[];
  patient: { id: string; name: string };
  doctor: { id: string; name: string };
  history: { action: string; toStatus: string; actorRole: string | null }[];
}
type RequestResult =
  | ({ __typename: "Appointment" } & Appointment)
  | { __typename: "SlotUnavailable"; code: string; message: string; alternatives: { id: string; doctor: { id: string } }[] };

/** Requests the router has sent to a subgraph so far (its /metrics). */
async function subgraphRequests(name: string): Promise<number> {
  const text = await (await fetch(url.replace("/graphql", "/metrics"))).text();
  return Number(new RegExp(`clinigraph_router_subgraph_requests_total\\{subgraph="${name}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

const login = (email: string, password: string) => signIn(url, email, password);

const registerPatient = (name: string) => registerE2EPatient(url, name, PASSWORD);
const createDoctor = (name: string, autoApprove: boolean) =>
  createScheduledDoctor(url, adminToken, name, { autoApprove, specialtyCode: "DERM", weekdays: ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] });

async function freeSlots(filter: Record<string, unknown>, first = 50): Promise<Slot[]> {
  const data = await ok<{ availableSlots: Slot[] }>(`query($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { ${SLOT_FIELDS} } }`, {
    f: { from: "2027-03-22T00:00:00Z", to: "2027-04-05T00:00:00Z", ...filter },
    n: first,
  });
  return data.availableSlots;
}

const request = async (token: string, slotId: string) =>
  (await ok<{ requestAppointment: RequestResult }>(REQUEST, { i: { slotId } }, token)).requestAppointment;
const act = async (token: string, mutation: string, id: string) =>
  (await ok<Record<string, Appointment>>(`mutation($id: ID!) { ${mutation}(id: $id) { ${APPOINTMENT_FIELDS} } }`, { id }, token))[mutation]!;

let manual: { id: string; token: string };
let auto: { id: string; token: string };
let receptionToken: string;

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  adminToken = await login(stack.admin.email, stack.admin.password);
  manual = await createDoctor("Dr. Manual Approver", false);
  auto = await createDoctor("Dr. Auto Booker", true);
  const receptionEmail = uniqueEmail("reception");
  await ok(
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email: receptionEmail, password: "Reception-pass-1", name: "Rita Reception", role: "RECEPTIONIST" } },
    adminToken,
  );
  receptionToken = await login(receptionEmail, "Reception-pass-1");
});

afterAll(async () => {
  await stack?.stop();
});

describe("scheduling through the router", () => {
  it("slots follow the doctor's local 09:00 across the DST change", async () => {
    const slots = await freeSlots({ doctorId: manual.id }, 500);
    const firstOfDay = (day: string) => slots.find((s) => s.startsAt.startsWith(day))?.startsAt;
    expect(firstOfDay("2027-03-26")).toBe("2027-03-26T08:00:00.000Z"); // Friday, CET
    expect(firstOfDay("2027-03-29")).toBe("2027-03-29T07:00:00.000Z"); // Monday after the change, CEST
    expect(slots[0]!.doctor.name).toBe("Dr. Manual Approver"); // resolved from the doctors subgraph
  });

  it("a doctor's time off reaches scheduling as an event: that day's slots are no longer offered", async () => {
    const doctor = await createDoctor("Dr. Away Wednesday", true);
    const days = async () => new Set((await freeSlots({ doctorId: doctor.id }, 500)).map((s) => s.startsAt.slice(0, 10)));
    expect(await days()).toContain("2027-03-24");
    await ok(
      `mutation($d: ID!, $f: DateTime!, $t: DateTime!) { addTimeOff(doctorId: $d, from: $f, to: $t) { id } }`,
      { d: doctor.id, f: "2027-03-24T00:00:00+01:00", t: "2027-03-25T00:00:00+01:00" },
      adminToken,
    );
    await stack.eventsSettled(); // doctors' DoctorScheduleChanged → scheduling's consumer blocks the day's slots
    const after = await days();
    expect(after).not.toContain("2027-03-24");
    expect(after).toContain("2027-03-23");
    expect(after).toContain("2027-03-25");
  });

  it("request → doctor approves → reception checks in → doctor fulfils → patient gives feedback", async () => {
    const patient = await registerPatient("Flow Patient");
    const [slot] = await freeSlots({ specialty: "DERM", doctorId: manual.id });
    const requested = await request(patient.token, slot!.id);
    expect(requested).toMatchObject({
      __typename: "Appointment",
      status: "PENDING",
      patient: { name: "Flow Patient" },
      doctor: { name: "Dr. Manual Approver" },
    });
    const id = (requested as Appointment).id;

    const doctorView = await ok<{ myAppointments: { edges: { node: { id: string; allowedTransitions: string[] } }[] } }>(
      `{ myAppointments(status: PENDING) { edges { node { id allowedTransitions } } } }`,
      {},
      manual.token,
    );
    expect(doctorView.myAppointments.edges.find((e) => e.node.id === id)?.node.allowedTransitions).toEqual(["APPROVE", "REJECT"]);

    expect((await act(manual.token, "approveAppointment", id)).status).toBe("BOOKED");
    at(new Date(new Date(slot!.startsAt).getTime() - 20 * 60_000).toISOString());
    expect((await act(receptionToken, "checkInAppointment", id)).status).toBe("CHECKED_IN");
    const fulfilled = await act(manual.token, "fulfillAppointment", id);
    expect(fulfilled.status).toBe("FULFILLED");
    expect(fulfilled.history.map((h) => `${h.action}:${h.toStatus}:${h.actorRole}`)).toEqual([
      "REQUEST:PENDING:PATIENT",
      "APPROVE:BOOKED:DOCTOR",
      "CHECK_IN:CHECKED_IN:RECEPTIONIST",
      "FULFILL:FULFILLED:DOCTOR",
    ]);
    const feedback = await ok<{ submitFeedback: { feedback: { rating: number } } }>(
      `mutation($id: ID!) { submitFeedback(appointmentId: $id, rating: 5, comment: "Kind and quick") { feedback { rating } } }`,
      { id },
      patient.token,
    );
    expect(feedback.submitFeedback.feedback.rating).toBe(5);
    at("2027-03-22T07:00:00Z");
  });

  it("auto-approved booking → no-show after the start", async () => {
    const patient = await registerPatient("No Show");
    const [slot] = await freeSlots({ doctorId: auto.id });
    const booked = await request(patient.token, slot!.id);
    expect(booked).toMatchObject({ __typename: "Appointment", status: "BOOKED" });
    const early = await graphql(
      url,
      `
        mutation ($id: ID!) {
          markNoShow(id: $id) {
            status
          }
        }
      `,
      { id: (booked as Appointment).id },
      auto.token,
    );
    // The code clients already use, and the reason to tell "too early" from "wrong state" without reading the message.
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "NOT_DUE_YET", serviceName: "scheduling" });
    at(new Date(new Date(slot!.startsAt).getTime() + 15 * 60_000).toISOString());
    expect((await act(auto.token, "markNoShow", (booked as Appointment).id)).status).toBe("NO_SHOW");
    at("2027-03-22T07:00:00Z");
  });

  it("reschedules atomically, and a cancel frees the slot for another patient", async () => {
    const first = await registerPatient("Mover");
    const second = await registerPatient("Taker");
    const slots = await freeSlots({ doctorId: auto.id });
    const [a, b] = [slots[3]!, slots[10]!];
    const booked = (await request(first.token, a.id)) as Appointment;
    const moved = await ok<{ rescheduleAppointment: RequestResult }>(
      `mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) { __typename ... on Appointment { id startsAt status } } }`,
      { id: booked.id, s: b.id },
      first.token,
    );
    expect(moved.rescheduleAppointment).toMatchObject({ __typename: "Appointment", startsAt: b.startsAt, status: "BOOKED" });
    const after = (await freeSlots({ doctorId: auto.id })).map((s) => s.id);
    expect(after).toContain(a.id);
    expect(after).not.toContain(b.id);

    const taken = await request(second.token, b.id);
    expect(taken).toMatchObject({ __typename: "SlotUnavailable", code: "SLOT_TAKEN" });
    expect((await act(first.token, "cancelAppointment", booked.id)).status).toBe("CANCELLED");
    const retaken = await request(second.token, b.id);
    expect(retaken).toMatchObject({ __typename: "Appointment", status: "BOOKED", patient: { name: "Taker" } });
  });

  it("an unanswered request expires and frees its slot", async () => {
    const patient = await registerPatient("Waiting");
    const [slot] = await freeSlots({ doctorId: manual.id });
    const pending = (await request(patient.token, slot!.id)) as Appointment;
    expect(pending.status).toBe("PENDING");
    at("2027-03-22T07:16:00Z"); // the default hold is 15 minutes
    expect(await expireHolds(stack.scheduling)).toBeGreaterThanOrEqual(1);
    const status = await ok<{ appointment: { status: string } }>(`query($id: ID!) { appointment(id: $id) { status } }`, { id: pending.id }, patient.token);
    expect(status.appointment.status).toBe("EXPIRED");
    expect((await freeSlots({ doctorId: manual.id })).map((s) => s.id)).toContain(slot!.id);
    at("2027-03-22T07:00:00Z");
  });

  it("a patient cannot read another patient's appointment", async () => {
    const owner = await registerPatient("Owner");
    const other = await registerPatient("Other");
    const [slot] = await freeSlots({ doctorId: auto.id });
    const booked = (await request(owner.token, slot!.id)) as Appointment;
    const res = await graphql(
      url,
      `
        query ($id: ID!) {
          appointment(id: $id) {
            id
          }
        }
      `,
      { id: booked.id },
      other.token,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("200 concurrent requests for one slot: exactly one appointment, 199 SlotUnavailable with alternatives, no 5xx", async () => {
    const patients: { token: string }[] = [];
    for (let i = 0; i < 200; i += 10) patients.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => registerPatient(`Crowd ${i + j}`)))));
    const [slot] = await freeSlots({ doctorId: auto.id });
    const results = await Promise.all(patients.map((p) => graphql<{ requestAppointment: RequestResult }>(url, REQUEST, { i: { slotId: slot!.id } }, p.token)));
    expect(results.filter((r) => r.status >= 500 || r.errors?.length)).toEqual([]);
    const answers = results.map((r) => r.data!.requestAppointment);
    expect(answers.filter((a) => a.__typename === "Appointment")).toHaveLength(1);
    const refused = answers.filter((a) => a.__typename === "SlotUnavailable");
    expect(refused).toHaveLength(199);
    for (const r of refused) expect(r.alternatives.length).toBeGreaterThan(0);
    const calendar = await ok<{ calendar: { status: string; startsAt: string }[] }>(
      `query($d: ID!, $f: DateTime!, $t: DateTime!) { calendar(doctorId: $d, from: $f, to: $t) { status startsAt } }`,
      { d: auto.id, f: slot!.startsAt, t: new Date(new Date(slot!.startsAt).getTime() + 60_000).toISOString() },
      receptionToken,
    );
    expect(calendar.calendar.filter((a) => ["PENDING", "BOOKED", "CHECKED_IN"].includes(a.status))).toHaveLength(1);
  });

  it("a staff calendar resolves every patient's name with one request to accounts", async () => {
    const slots = await freeSlots({ doctorId: manual.id });
    for (let i = 0; i < 6; i++) {
      const patient = await registerPatient(`Calendar ${i}`);
      expect((await request(patient.token, slots[i]!.id)).__typename).toBe("Appointment");
    }
    const accountsRequests = () => subgraphRequests("accounts");
    const before = await accountsRequests();
    const calendar = await ok<{ calendar: { patient: { name: string } }[] }>(
      `query($d: ID!, $f: DateTime!, $t: DateTime!) { calendar(doctorId: $d, from: $f, to: $t) { startsAt patient { name } } }`,
      { d: manual.id, f: "2027-03-22T00:00:00Z", t: "2027-04-05T00:00:00Z" },
      receptionToken,
    );
    expect(calendar.calendar.map((a) => a.patient.name)).toEqual(expect.arrayContaining(["Calendar 0", "Calendar 5"]));
    expect((await accountsRequests()) - before).toBe(1);
  });

  it("a slot search names its doctors from scheduling's copy, without a call to doctors; a rename reaches it as an event", async () => {
    const search = (fields: string) =>
      ok<{ availableSlots: { doctor: { name: string; bio?: string | null } }[] }>(
        `query($f: SlotFilter!) { availableSlots(filter: $f, first: 100) { id doctor { ${fields} } } }`,
        { f: { specialty: "DERM", from: "2027-03-22T00:00:00Z", to: "2027-04-05T00:00:00Z" } },
      );
    const before = await subgraphRequests("doctors");
    const named = await search("name");
    expect([...new Set(named.availableSlots.map((s) => s.doctor.name))]).toEqual(expect.arrayContaining(["Dr. Manual Approver", "Dr. Auto Booker"]));
    expect((await subgraphRequests("doctors")) - before).toBe(0);
    // Another doctor field still comes from the doctors subgraph (one call for the page).
    const withBio = await search("name bio");
    expect(withBio.availableSlots.every((s) => s.doctor.bio === null)).toBe(true);
    expect((await subgraphRequests("doctors")) - before).toBe(1);

    await ok(
      `mutation($id: ID!, $i: UpdateDoctorInput!) { updateDoctor(id: $id, input: $i) { id } }`,
      { id: auto.id, i: { name: "Dr. Auto Renamed" } },
      adminToken,
    );
    await stack.eventsSettled();
    const renamed = await search("name");
    const renamedNames = new Set(renamed.availableSlots.map((s) => s.doctor.name));
    expect([...renamedNames]).toEqual(expect.arrayContaining(["Dr. Manual Approver", "Dr. Auto Renamed"]));
    expect(renamedNames.has("Dr. Auto Booker")).toBe(false);
    await ok(
      `mutation($id: ID!, $i: UpdateDoctorInput!) { updateDoctor(id: $id, input: $i) { id } }`,
      { id: auto.id, i: { name: "Dr. Auto Booker" } },
      adminToken,
    );
    await stack.eventsSettled();
  });

  it("reception checks patients in while accounts and doctors are down; the router answers what it can", async () => {
    const patient = await registerPatient("Resilient");
    const [slot] = await freeSlots({ doctorId: auto.id });
    const booked = (await request(patient.token, slot!.id)) as Appointment;
    at(new Date(new Date(slot!.startsAt).getTime() - 30 * 60_000).toISOString());
    await stack.subgraphs.accounts!.close();
    await stack.subgraphs.doctors!.close();
    const checkedIn = await graphql<{ checkInAppointment: { status: string; patient: { id: string } } }>(
      url,
      `
        mutation ($id: ID!) {
          checkInAppointment(id: $id) {
            status
            startsAt
            patient {
              id
            }
          }
        }
      `,
      { id: booked.id },
      receptionToken,
    );
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.errors).toBeUndefined();
    expect(checkedIn.data?.checkInAppointment).toEqual({ status: "CHECKED_IN", startsAt: slot!.startsAt, patient: { id: patient.id } });
    // Fields owned by a down subgraph fail with a code naming the service; with non-null types up the
    // path (Patient.name: String!, Appointment.patient: Patient!) GraphQL nulls the parent, so front ends
    // ask reception's critical fields separately from names.
    const withNames = await graphql(
      url,
      `
        query ($id: ID!) {
          appointment(id: $id) {
            status
            patient {
              name
            }
          }
        }
      `,
      { id: booked.id },
      receptionToken,
    );
    expect(withNames.status).toBe(200);
    expect(withNames.errors?.[0]?.extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
  });
});
