/**
 * Booking hardening through the router, on a fake clock:
 *  - the waitlist cannot bypass the per-patient daily limit: a waiting patient offered a freed slot while
 *    booking another slot of the same doctor and day, in parallel rounds — afterwards SQL shows at most
 *    BOOKING_MAX_PER_PATIENT_DOCTOR_DAY (1) live appointments per patient, doctor and day;
 *  - reception cannot book for a made-up patient id, nor for a doctor's user id;
 *  - rescheduling a PENDING request back and forth does not extend its hold: it expires 15 minutes after
 *    the original request (the sweep, `expireHolds`, runs on the test's clock).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { queryDatabase, uniqueEmail } from "@clinigraph/testing";
import { expireHolds } from "@clinigraph/scheduling";
import { createScheduledDoctor, registerE2EPatient } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

// Monday 2027-03-22 07:00 UTC = 08:00 in Berlin (CET until 2027-03-28).
const START = new Date("2027-03-22T07:00:00Z");
const clock = { now: START };
const setClock = (at: Date) => (clock.now = at);
let stack: Stack;
let url: string;
let adminToken: string;
let receptionToken: string;

const REQUEST = `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) {
  __typename ... on Appointment { id status startsAt holdExpiresAt patient { id } } ... on SlotUnavailable { message } } }`;
const RESCHEDULE = `mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) {
  __typename ... on Appointment { id status startsAt holdExpiresAt } ... on SlotUnavailable { message } } }`;
const CANCEL = `mutation($id: ID!) { cancelAppointment(id: $id) { id status } }`;
const JOIN = `mutation($i: WaitlistInput!) { joinWaitlist(input: $i) { id status } }`;

interface Slot {
  id: string;
  startsAt: string;
}
interface Booked {
  __typename: "Appointment";
  id: string;
  status: string;
  startsAt: string;
  holdExpiresAt: string | null;
  patient: { id: string };
}

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

const registerPatient = (name: string) => registerE2EPatient(url, name);
const createDoctor = (name: string, autoApprove: boolean) =>
  createScheduledDoctor(url, adminToken, name, { autoApprove, specialtyCode: "DERM", weekdays: ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] });

/** The doctor's free slot starting at this instant. */
async function slotAt(doctorId: string, startsAt: string): Promise<Slot> {
  const data = await ok<{ availableSlots: Slot[] }>(`query($f: SlotFilter!) { availableSlots(filter: $f, first: 100) { id startsAt } }`, {
    f: { doctorId, from: "2027-03-22T00:00:00Z", to: "2027-03-29T00:00:00Z" },
  });
  const slot = data.availableSlots.find((s) => s.startsAt === startsAt);
  if (!slot) throw new Error(`no free slot at ${startsAt}`);
  return slot;
}

const request = async (token: string, input: Record<string, unknown>) =>
  graphql<{ requestAppointment: Booked | { __typename: "SlotUnavailable" } }>(url, REQUEST, { i: input }, token);

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  adminToken = await signIn(url, stack.admin.email, stack.admin.password);
  const receptionEmail = uniqueEmail("reception.hard");
  await ok(
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email: receptionEmail, password: "Reception-pass-1", name: "Rhea Reception", role: "RECEPTIONIST" } },
    adminToken,
  );
  receptionToken = await signIn(url, receptionEmail, "Reception-pass-1");
});

afterAll(async () => {
  await stack?.stop();
});

describe("scheduling hardening through the router", () => {
  it("a waitlist offer racing the same patient's booking never exceeds the daily limit (parallel rounds)", async () => {
    const ROUNDS = 6;
    // Each round: its own doctor; each repetition: its own day (Tuesday, Wednesday, Thursday), with waitlist entries for that day only.
    const DAYS = ["2027-03-23", "2027-03-24", "2027-03-25"];
    const doctors = await Promise.all(Array.from({ length: ROUNDS }, (_, i) => createDoctor(`Dr. Race ${i}`, i % 2 === 0)));
    const outcomes = { racerBooked: 0, offerFirst: 0 };
    for (const day of DAYS) {
      const rounds = [];
      for (const doctor of doctors) {
        const [holder, racer, next] = await Promise.all([registerPatient("Holder"), registerPatient("Racer"), registerPatient("Next")]);
        const freed = await slotAt(doctor.id, `${day}T08:00:00.000Z`); // 09:00 Berlin
        const other = await slotAt(doctor.id, `${day}T10:00:00.000Z`); // 11:00 Berlin, the same day
        const held = (await request(holder.token, { slotId: freed.id })).data!.requestAppointment as Booked;
        const window = { doctorId: doctor.id, from: `${day}T00:00:00Z`, to: `${day}T23:00:00Z` };
        await ok(JOIN, { i: window }, racer.token);
        setClock(new Date(clock.now.getTime() + 1_000)); // `next` joins later: second in line
        await ok(JOIN, { i: window }, next.token);
        rounds.push({ doctor, holder, racer, next, freed, other, held });
      }
      // All rounds at once: the holder cancels (the freed slot is offered to `racer`) while racer books another slot that day.
      const results = await Promise.all(
        rounds.map((r) => Promise.all([graphql(url, CANCEL, { id: r.held.id }, r.holder.token), request(r.racer.token, { slotId: r.other.id })])),
      );
      for (const [i, [cancelled, booking]] of results.entries()) {
        expect(cancelled.status).toBe(200);
        expect(cancelled.errors).toBeUndefined();
        expect(booking.status).toBe(200);
        const code = booking.errors?.[0]?.extensions?.code ?? "OK";
        expect(["OK", "CONFLICT"]).toContain(code); // CONFLICT: the offer came first and filled racer's day
        if (code === "OK") {
          outcomes.racerBooked++;
          // racer was passed over for the freed slot: it went to the next in line.
          const [holderOfFreed] = await queryDatabase<{ patient_id: string }>(
            stack.databaseUrl,
            `SELECT patient_id::text FROM scheduling.appointments WHERE slot_id = $1 AND status IN ('PENDING','BOOKED','CHECKED_IN')`,
            [rounds[i]!.freed.id],
          );
          expect(holderOfFreed?.patient_id).toBe(rounds[i]!.next.id);
        } else outcomes.offerFirst++;
      }
    }
    expect(outcomes.racerBooked + outcomes.offerFirst).toBe(ROUNDS * DAYS.length);
    // The guarantee, read from the database: at most the limit (1) of live appointments per patient, doctor and local day.
    const over = await queryDatabase(
      stack.databaseUrl,
      `SELECT patient_id, doctor_id, (starts_at AT TIME ZONE 'Europe/Berlin')::date AS day, count(*)::int AS n
         FROM scheduling.appointments
        WHERE status IN ('PENDING','BOOKED','CHECKED_IN') AND doctor_id = ANY($1::uuid[])
        GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      [doctors.map((d) => d.id)],
    );
    expect(over).toEqual([]);
    setClock(START);
  });

  it("reception cannot book for a made-up patient id or a doctor's user id; a real patient is booked", async () => {
    const doctor = await createDoctor("Dr. Desk Check", true);
    const slot = await slotAt(doctor.id, "2027-03-26T09:00:00.000Z");
    for (const patientId of [randomUUID(), doctor.userId]) {
      const res = await request(receptionToken, { slotId: slot.id, patientId });
      expect(res.status).toBe(200);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.message).not.toContain(patientId);
    }
    const rows = await queryDatabase<{ n: number }>(stack.databaseUrl, `SELECT count(*)::int AS n FROM scheduling.appointments WHERE slot_id = $1`, [slot.id]);
    expect(rows[0]!.n).toBe(0);
    const patient = await registerPatient("Desk Patient");
    const booked = await request(receptionToken, { slotId: slot.id, patientId: patient.id });
    expect(booked.errors).toBeUndefined();
    expect(booked.data?.requestAppointment).toMatchObject({ __typename: "Appointment", status: "BOOKED", patient: { id: patient.id } });
  });

  it("rescheduling a PENDING request back and forth does not extend its hold; it expires 15 minutes after the request", async () => {
    setClock(START);
    const doctor = await createDoctor("Dr. Hold Keeper", false);
    const patient = await registerPatient("Hold Mover");
    const a = await slotAt(doctor.id, "2027-03-24T09:00:00.000Z");
    const b = await slotAt(doctor.id, "2027-03-25T09:00:00.000Z");
    const requested = (await request(patient.token, { slotId: a.id })).data!.requestAppointment as Booked;
    const deadline = new Date(START.getTime() + 15 * 60_000).toISOString();
    expect(requested).toMatchObject({ status: "PENDING", holdExpiresAt: deadline });
    for (const [minute, target] of [
      [5, b],
      [10, a],
      [14, b],
    ] as const) {
      setClock(new Date(START.getTime() + minute * 60_000));
      const moved = await ok<{ rescheduleAppointment: Booked }>(RESCHEDULE, { id: requested.id, s: target.id }, patient.token);
      expect(moved.rescheduleAppointment).toMatchObject({ __typename: "Appointment", status: "PENDING", startsAt: target.startsAt, holdExpiresAt: deadline });
    }
    setClock(new Date(START.getTime() + 15 * 60_000));
    const late = await graphql(url, RESCHEDULE, { id: requested.id, s: a.id }, patient.token);
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "HOLD_EXPIRED" });
    expect(await expireHolds(stack.scheduling)).toBeGreaterThanOrEqual(1);
    const after = await ok<{ appointment: { status: string } }>(`query($id: ID!) { appointment(id: $id) { status } }`, { id: requested.id }, patient.token);
    expect(after.appointment.status).toBe("EXPIRED");
    setClock(START);
  });
});
