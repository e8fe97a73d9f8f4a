/**
 * Deactivating a doctor, end to end through the router on a fake clock, every subgraph real and e-mail going to a real
 * SMTP server: an ADMIN deactivates a doctor → the doctor is gone from the `doctors` search and from availableSlots
 * (`doctor(id)` still answers, inactive); requesting their former slot is refused (DOCTOR_UNAVAILABLE); the patient's
 * upcoming appointment is flagged for staff (needsAttention, a NEEDS_ATTENTION history entry) and the patient gets an
 * e-mail to rebook, naming a free time of another doctor of the same specialty; an appointment that already took place
 * keeps its flag and history; reactivating brings the slots back and clears no flag. The accounts path (a DOCTOR user
 * deactivated in accounts) is driven by publishing accounts' UserDeactivated on the stack's bus.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createEnvelope, createEventBus, STREAMS } from "@clinigraph/events";
import { startMailbox, uniqueEmail, type Mailbox } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, requestSlot, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

// Monday 2027-03-22 07:00 UTC = 08:00 in Berlin.
const clock = { now: new Date("2027-03-22T07:00:00Z") };
let mailbox: Mailbox;
let stack: Stack;
let url: string;
let adminToken: string;
let leaving: ScheduledDoctor;
let colleague: ScheduledDoctor;

const REGISTER = "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }";
const DEACTIVATE = "mutation($id: ID!, $reason: String!) { deactivateDoctor(id: $id, reason: $reason) { id active deactivatedAt } }";
const REACTIVATE = "mutation($id: ID!) { reactivateDoctor(id: $id) { id active deactivatedAt } }";
const SEARCH = "query($name: String) { doctors(filter: { name: $name }, first: 20) { edges { node { id active } } } }";
const DOCTOR = "query($id: ID!) { doctor(id: $id) { id name active deactivatedAt } }";
const SLOTS = "query($f: SlotFilter!) { availableSlots(filter: $f, first: 50) { id } }";
const REQUEST =
  "mutation($s: ID!) { requestAppointment(input: { slotId: $s }) { __typename ... on Appointment { id } ... on SlotUnavailable { code message } } }";
const APPOINTMENT = "query($id: ID!) { appointment(id: $id) { id status startsAt needsAttention history { action fromStatus toStatus reason } } }";

interface AppointmentView {
  id: string;
  status: string;
  startsAt: string;
  needsAttention: boolean;
  history: { action: string; fromStatus: string | null; toStatus: string; reason: string | null }[];
}

const week = { from: "2027-03-22T00:00:00Z", to: "2027-04-05T00:00:00Z" };
const slotsOf = async (doctorId: string) => (await expectData<{ availableSlots: { id: string }[] }>(url, SLOTS, { f: { doctorId, ...week } })).availableSlots;
const search = async (name: string) =>
  (await expectData<{ doctors: { edges: { node: { id: string; active: boolean } }[] } }>(url, SEARCH, { name })).doctors.edges.map((e) => e.node);
const appointment = async (id: string) => (await expectData<{ appointment: AppointmentView }>(url, APPOINTMENT, { id }, adminToken)).appointment;

async function patient() {
  const email = uniqueEmail("deactivation.patient");
  const { registerPatient } = await expectData<{ registerPatient: { accessToken: string; user: { id: string } } }>(url, REGISTER, {
    i: { email, password: "Patient-password-1", name: "Noor Haddad" },
  });
  return { email, token: registerPatient.accessToken, id: registerPatient.user.id };
}

beforeAll(async () => {
  mailbox = await startMailbox();
  stack = await startStack({ clock: () => clock.now, env: { SMTP_URL: mailbox.url, MAIL_FROM: "Clinic <clinic@example.test>", NOTIFICATIONS_POLL_MS: "50" } });
  url = stack.routerUrl;
  adminToken = await signIn(url, stack.admin.email, stack.admin.password);
  leaving = await createScheduledDoctor(url, adminToken, "Dr. Ines Leaving", { autoApprove: true, specialtyCode: "CARD" });
  colleague = await createScheduledDoctor(url, adminToken, "Dr. Omar Colleague", { autoApprove: true, specialtyCode: "CARD" });
});

afterAll(async () => {
  await stack?.stop();
  await mailbox?.stop();
});

describe("deactivating a doctor", () => {
  it("ADMIN deactivates: hidden from search and slots, bookings refused, upcoming appointment flagged, patient e-mailed; reactivate: slots back", async () => {
    const p = await patient();
    // Tue 23rd 09:00 Berlin (08:00 UTC): it will have taken place when the doctor leaves.
    const past = await requestSlot(url, p.token, await freeSlotId(url, leaving.id, 0, { from: "2027-03-23T00:00:00Z", to: "2027-03-24T00:00:00Z" }));
    // Wed 24th 09:00 Berlin: still ahead.
    const upcoming = await requestSlot(url, p.token, await freeSlotId(url, leaving.id, 0, { from: "2027-03-24T00:00:00Z", to: "2027-03-25T00:00:00Z" }));
    const formerSlot = await freeSlotId(url, leaving.id, 1, { from: "2027-03-24T00:00:00Z", to: "2027-03-25T00:00:00Z" });
    await stack.eventsSettled();
    expect(await search("Ines Leaving")).toEqual([{ id: leaving.id, active: true }]);

    clock.now = new Date("2027-03-23T10:00:00Z"); // the first appointment is over
    const pastBefore = await appointment(past);

    const deactivated = await expectData<{ deactivateDoctor: { id: string; active: boolean; deactivatedAt: string } }>(
      url,
      DEACTIVATE,
      { id: leaving.id, reason: "Left the clinic" },
      adminToken,
    );
    expect(deactivated.deactivateDoctor).toMatchObject({ id: leaving.id, active: false });
    expect(deactivated.deactivateDoctor.deactivatedAt).toEqual(expect.any(String));
    await stack.eventsSettled();

    // Hidden from the public search; still found by id (history names the doctor).
    expect(await search("Ines Leaving")).toEqual([]);
    const byId = await expectData<{ doctor: { id: string; active: boolean; deactivatedAt: string | null } }>(url, DOCTOR, { id: leaving.id });
    expect(byId.doctor).toMatchObject({ id: leaving.id, active: false });
    expect(await slotsOf(leaving.id)).toEqual([]);
    expect((await slotsOf(colleague.id)).length).toBeGreaterThan(0);

    // Their former free slot cannot be taken.
    const other = await patient();
    const refused = await expectData<{ requestAppointment: { __typename: string; code?: string } }>(url, REQUEST, { s: formerSlot }, other.token);
    expect(refused.requestAppointment).toMatchObject({ __typename: "SlotUnavailable", code: "DOCTOR_UNAVAILABLE" });

    // Reception (staff) sees the upcoming appointment flagged, with a history entry; the past one is as it was.
    const receptionView = await appointment(upcoming);
    expect(receptionView).toMatchObject({ status: "BOOKED", needsAttention: true });
    expect(receptionView.history.at(-1)).toMatchObject({ action: "NEEDS_ATTENTION", fromStatus: "BOOKED", toStatus: "BOOKED" });
    expect(await appointment(past)).toEqual(pastBefore);
    expect(pastBefore.needsAttention).toBe(false);

    // The patient is told to rebook: the booking page, and a free time of the colleague of the same specialty.
    const mail = await mailbox.next((m) => m.to === p.email && /new doctor/i.test(m.subject));
    expect(mail.text).toContain("Dr. Ines Leaving");
    expect(mail.text).toContain("Dr. Omar Colleague");
    expect(mail.text).toMatch(/\/patient\b/);
    // Nor is the patient reminded of the visit any more: the reminders still ahead stopped.
    const log = await expectData<{ myNotifications: { edges: { node: { kind: string; status: string; appointmentId: string | null } }[] } }>(
      url,
      `{ myNotifications(first: 100) { edges { node { kind status appointmentId } } } }`,
      {},
      p.token,
    );
    const reminders = log.myNotifications.edges.map((e) => e.node).filter((n) => n.kind === "APPOINTMENT_REMINDER" && n.appointmentId === upcoming);
    expect(reminders.some((n) => n.status === "CANCELLED")).toBe(true);
    expect(reminders.filter((n) => n.status === "SCHEDULED")).toEqual([]);

    // Deactivating again changes nothing (same time, no second message).
    const again = await expectData<{ deactivateDoctor: { deactivatedAt: string } }>(url, DEACTIVATE, { id: leaving.id, reason: "Again" }, adminToken);
    expect(again.deactivateDoctor.deactivatedAt).toBe(deactivated.deactivateDoctor.deactivatedAt);
    await stack.eventsSettled();
    expect((await appointment(upcoming)).history.filter((h) => h.action === "NEEDS_ATTENTION")).toHaveLength(1);

    // Reactivated: bookable again; the flag stays for staff to decide.
    const reactivated = await expectData<{ reactivateDoctor: { active: boolean; deactivatedAt: string | null } }>(
      url,
      REACTIVATE,
      { id: leaving.id },
      adminToken,
    );
    expect(reactivated.reactivateDoctor).toMatchObject({ active: true, deactivatedAt: null });
    await stack.eventsSettled();
    expect((await slotsOf(leaving.id)).map((s) => s.id)).toContain(formerSlot);
    expect(await search("Ines Leaving")).toEqual([{ id: leaving.id, active: true }]);
    expect((await appointment(upcoming)).needsAttention).toBe(true);
    const rebooked = await expectData<{ requestAppointment: { __typename: string } }>(url, REQUEST, { s: formerSlot }, other.token);
    expect(rebooked.requestAppointment.__typename).toBe("Appointment");
  });

  it("only ADMIN deactivates, with a reason; unknown ids are NOT_FOUND", async () => {
    const p = await patient();
    const asPatient = await graphql(url, DEACTIVATE, { id: colleague.id, reason: "no" }, p.token);
    expect(asPatient.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const asDoctor = await graphql(url, REACTIVATE, { id: colleague.id }, colleague.token);
    expect(asDoctor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const blank = await graphql(url, DEACTIVATE, { id: colleague.id, reason: "  " }, adminToken);
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    const unknown = await graphql(url, DEACTIVATE, { id: randomUUID(), reason: "Left" }, adminToken);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  /**
   * The accounts path: accounts' deactivateUser writes UserDeactivated to its outbox. This test publishes that event on
   * the stack's bus itself (as accounts' relay would), so it does not depend on accounts' mutation.
   */
  it("accounts path: UserDeactivated of a DOCTOR user (published on the bus, twice) deactivates their doctor once", async () => {
    const viaAccounts = await createScheduledDoctor(url, adminToken, "Dr. Yuki Accounts", { autoApprove: true });
    const p = await patient();
    const booked = await requestSlot(url, p.token, await freeSlotId(url, viaAccounts.id, 0, { from: "2027-03-29T00:00:00Z", to: "2027-03-30T00:00:00Z" }));
    await stack.eventsSettled();

    const bus = await createEventBus({ redisUrl: stack.events.redisUrl });
    try {
      const event = createEnvelope("UserDeactivated", { userId: viaAccounts.userId, role: "DOCTOR", actorId: null, at: clock.now.toISOString() });
      await bus.publish(`${stack.events.namespace}${STREAMS.accounts}`, [event, event]); // a redelivery
    } finally {
      await bus.close();
    }
    await stack.eventsSettled();

    const byId = await expectData<{ doctor: { active: boolean } }>(url, DOCTOR, { id: viaAccounts.id });
    expect(byId.doctor.active).toBe(false);
    expect(await slotsOf(viaAccounts.id)).toEqual([]);
    const view = await appointment(booked);
    expect(view.needsAttention).toBe(true);
    expect(view.history.filter((h) => h.action === "NEEDS_ATTENTION")).toHaveLength(1);
    const mail = await mailbox.next((m) => m.to === p.email && /new doctor/i.test(m.subject));
    expect(mail.text).toContain("Dr. Yuki Accounts");
  });
});
