/**
 * Notifications through the router, on a fake clock, with every subgraph real and e-mail going to a real SMTP server
 * (smtp-server, parsed with mailparser): a booking's confirmation arrives in the patient's language with the doctor's
 * local time and zone; the reminders show on the appointment, move with a reschedule and are cancelled with a
 * cancellation, which the doctor hears of; a reminder goes out once at its time; the delivery log shows it all.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startMailbox, uniqueEmail, type Mailbox } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

// Monday 2027-03-22 07:00 UTC = 08:00 in Berlin.
const clock = { now: new Date("2027-03-22T07:00:00Z") };
let mailbox: Mailbox;
let stack: Stack;
let url: string;
let adminToken: string;
let doctor: ScheduledDoctor;

const REGISTER = "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }";
const PREFERENCES = "mutation($i: NotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { language } }";
const REQUEST = "mutation($s: ID!) { requestAppointment(input: { slotId: $s }) { __typename ... on Appointment { id status startsAt } } }";
const RESCHEDULE = "mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) { __typename ... on Appointment { id startsAt } } }";
const CANCEL = "mutation($id: ID!) { cancelAppointment(id: $id) { id status } }";
const REMINDERS = "query($id: ID!) { appointment(id: $id) { id startsAt reminders { kind channel dueAt status offsetMinutes } } }";
const MY_NOTIFICATIONS = "{ myNotifications(first: 20) { edges { node { kind channel subject status sentAt attempts } } } }";

interface Reminder {
  kind: string;
  channel: string;
  dueAt: string;
  status: string;
  offsetMinutes: number;
}

async function patient(language: string) {
  const email = uniqueEmail("notify.patient");
  const { registerPatient } = await expectData<{ registerPatient: { accessToken: string; user: { id: string } } }>(url, REGISTER, {
    i: { email, password: "Patient-password-1", name: "Camille Martin" },
  });
  await expectData(url, PREFERENCES, { i: { language } }, registerPatient.accessToken);
  return { email, token: registerPatient.accessToken, id: registerPatient.user.id };
}

const reminders = async (id: string, token: string) =>
  (await expectData<{ appointment: { reminders: Reminder[] } }>(url, REMINDERS, { id }, token)).appointment.reminders;

beforeAll(async () => {
  mailbox = await startMailbox();
  stack = await startStack({ clock: () => clock.now, env: { SMTP_URL: mailbox.url, MAIL_FROM: "Clinic <clinic@example.test>", NOTIFICATIONS_POLL_MS: "50" } });
  url = stack.routerUrl;
  adminToken = await signIn(url, stack.admin.email, stack.admin.password);
  doctor = await createScheduledDoctor(url, adminToken, "Dr. Léa Notify", { autoApprove: true });
});

afterAll(async () => {
  await stack?.stop();
  await mailbox?.stop();
});

describe("notifications through the router", () => {
  it("book → confirmation in French with the Berlin time; reschedule → reminders move; cancel → cancelled and the doctor told", async () => {
    const p = await patient("fr");
    const slot = await freeSlotId(url, doctor.id, 0, { from: "2027-03-24T00:00:00Z", to: "2027-03-25T00:00:00Z" }); // Wed 24th, 09:00 CET
    const booked = await expectData<{ requestAppointment: { id: string; status: string; startsAt: string } }>(url, REQUEST, { s: slot }, p.token);
    expect(booked.requestAppointment).toMatchObject({ status: "BOOKED", startsAt: "2027-03-24T08:00:00.000Z" });
    const id = booked.requestAppointment.id;
    await stack.eventsSettled();

    const confirmation = await mailbox.next((mail) => mail.to === p.email);
    expect(confirmation.subject.length).toBeGreaterThan(0);
    expect(confirmation.text).toMatch(/rendez-vous/i); // French
    expect(confirmation.text).toContain("09:00");
    expect(confirmation.text).toContain("Europe/Berlin");
    expect(confirmation.text).toContain("Dr. Léa Notify");

    expect(await reminders(id, p.token)).toEqual([
      { kind: "APPOINTMENT_REMINDER", channel: "EMAIL", dueAt: "2027-03-23T08:00:00.000Z", status: "SCHEDULED", offsetMinutes: 1440 },
      { kind: "APPOINTMENT_REMINDER", channel: "EMAIL", dueAt: "2027-03-24T07:00:00.000Z", status: "SCHEDULED", offsetMinutes: 60 },
    ]);
    // The doctor sees them too.
    expect(await reminders(id, doctor.token)).toHaveLength(2);

    // Rescheduled to Thursday 25th, 10:00 CET (09:00Z): the reminders move.
    const later = await freeSlotId(url, doctor.id, 2, { from: "2027-03-25T00:00:00Z", to: "2027-03-26T00:00:00Z" });
    const moved = await expectData<{ rescheduleAppointment: { startsAt: string } }>(url, RESCHEDULE, { id, s: later }, p.token);
    expect(moved.rescheduleAppointment.startsAt).toBe("2027-03-25T09:00:00.000Z");
    await stack.eventsSettled();
    const afterMove = await reminders(id, p.token);
    expect(afterMove.filter((r) => r.status === "SCHEDULED").map((r) => r.dueAt)).toEqual(["2027-03-24T09:00:00.000Z", "2027-03-25T08:00:00.000Z"]);
    expect(afterMove.filter((r) => r.status === "CANCELLED").map((r) => r.dueAt)).toEqual(["2027-03-23T08:00:00.000Z", "2027-03-24T07:00:00.000Z"]);
    await mailbox.next((mail) => mail.to === p.email && mail.text.includes("10:00"));

    // Cancelled by the patient: every reminder cancelled, and the doctor gets a notice.
    await expectData(url, CANCEL, { id }, p.token);
    await stack.eventsSettled();
    expect((await reminders(id, p.token)).every((r) => r.status === "CANCELLED")).toBe(true);
    const notices = () => mailbox.mails.filter((mail) => mail.to === doctor.email);
    await mailbox.next((mail) => mail.to === doctor.email && notices().indexOf(mail) === notices().length - 1 && mail.text.includes("10:00"));
    expect(notices().length).toBeGreaterThanOrEqual(2); // rescheduled, then cancelled

    const log = await expectData<{ myNotifications: { edges: { node: { kind: string; status: string; subject: string | null } }[] } }>(
      url,
      MY_NOTIFICATIONS,
      {},
      p.token,
    );
    const kinds = log.myNotifications.edges.map((edge) => `${edge.node.kind}:${edge.node.status}`);
    expect(kinds).toEqual(
      expect.arrayContaining(["APPOINTMENT_BOOKED:SENT", "APPOINTMENT_RESCHEDULED:SENT", "APPOINTMENT_CANCELLED:SENT", "APPOINTMENT_REMINDER:CANCELLED"]),
    );
  });

  it("a reminder is sent once when its time comes", async () => {
    const p = await patient("en");
    const slot = await freeSlotId(url, doctor.id, 0, { from: "2027-03-29T00:00:00Z", to: "2027-03-30T00:00:00Z" }); // Mon 29th, 09:00 CEST (after the DST change)
    const booked = await expectData<{ requestAppointment: { id: string; startsAt: string } }>(url, REQUEST, { s: slot }, p.token);
    expect(booked.requestAppointment.startsAt).toBe("2027-03-29T07:00:00.000Z");
    await stack.eventsSettled();
    await mailbox.next((mail) => mail.to === p.email); // the confirmation

    clock.now = new Date("2027-03-29T06:00:00Z"); // the 60-minute reminder's time
    await stack.eventsSettled();
    const reminder = await mailbox.next((mail) => mail.to === p.email && mailbox.mails.filter((m) => m.to === p.email).indexOf(mail) >= 1);
    expect(reminder.text).toContain("9:00 AM");
    expect(reminder.text).toContain("Europe/Berlin");
    await stack.eventsSettled();
    expect(mailbox.mails.filter((mail) => mail.to === p.email)).toHaveLength(3); // the confirmation, the 24 h and the 1 h reminder
    const states = (await reminders(booked.requestAppointment.id, p.token)).map((r) => `${r.offsetMinutes}:${r.status}`);
    expect(states).toEqual(["1440:SENT", "60:SENT"]);
  });

  it("the ADMIN view lists everybody's deliveries without bodies; others are refused", async () => {
    const all = await expectData<{ notifications: { edges: { node: { kind: string; recipientId: string } }[] } }>(
      url,
      '{ notifications(first: 50, filter: { kind: "APPOINTMENT_CANCELLED" }) { edges { node { kind recipientId subject status } } } }',
      {},
      adminToken,
    );
    expect(all.notifications.edges.map((edge) => edge.node.recipientId)).toContain(doctor.userId);
    const refused = await graphql(url, "{ notifications { edges { node { id } } } }", {}, doctor.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
