/**
 * The ledger end to end inside the subgraph: events in (in-memory bus), messages out over real SMTP (smtp-server,
 * parsed with mailparser), the scheduler driven by a fake clock. accounts and doctors are replaced by directories
 * the tests fill; the router-level journey is in tests/e2e/notifications.e2e.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS, type AppointmentEventData } from "@clinigraph/events";
import { queryDatabase, startMailbox, type Mailbox } from "@clinigraph/testing";
import { BERLIN_DOCTOR, startHarness, type Harness } from "./support/harness.js";
import { startNotifications, dispatchDue } from "../src/index.js";

let mailbox: Mailbox;
let h: Harness;

beforeAll(async () => {
  mailbox = await startMailbox();
  h = await startHarness({ env: { SMTP_URL: mailbox.url, MAIL_FROM: "Clinic <clinic@example.test>" } });
});

afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

const REMINDERS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Appointment { reminders { kind channel dueAt status offsetMinutes } } } }`;
async function remindersOf(appointmentId: string, caller: { userId: string; role: "PATIENT" | "DOCTOR" | "RECEPTIONIST" | "ADMIN" }) {
  const res = await h.call(REMINDERS, caller, { r: [{ __typename: "Appointment", id: appointmentId }] });
  expect(res.errors).toBeUndefined();
  return (res.data!._entities as { reminders: { kind: string; channel: string; dueAt: string; status: string; offsetMinutes: number }[] }[])[0]!.reminders;
}

const deliveriesOf = (appointmentId: string) =>
  queryDatabase<{ kind: string; recipient_id: string; status: string; attempts: number; last_error: string | null; due_at: Date }>(
    h.db.url,
    "SELECT kind, recipient_id, status, attempts, last_error, due_at FROM notifications.deliveries WHERE appointment_id = $1 ORDER BY created_at, due_at",
    [appointmentId],
  );

describe("booking, rescheduling and cancelling", () => {
  it("a booking sends the patient a confirmation in their language with the doctor's local time, and sets the reminders", async () => {
    const p = h.patientAndDoctor();
    await h.call(`mutation { updateNotificationPreferences(input: { language: "ko" }) { language } }`, { userId: p.patientId, role: "PATIENT" });
    h.clock.now = new Date("2027-03-01T09:00:00Z");
    const booked = h.appointment(p, "2027-03-10T08:30:00.000Z"); // 09:30 in Berlin (CET)
    await h.publish(STREAMS.appointments, [
      { type: "AppointmentRequested", data: booked },
      { type: "AppointmentBooked", data: booked },
    ]);
    await h.dispatch();
    const mail = await mailbox.next((m) => m.to === p.patientEmail);
    expect(mail.text).toMatch(/[\uAC00-\uD7A3]/); // Hangul: the patient's language
    expect(mail.text).toContain("9:30");
    expect(mail.text).toContain("Europe/Berlin");
    expect(mail.text).toContain(BERLIN_DOCTOR.name);
    expect(mail.html).toContain("<p>");
    expect(mail.messageId).toMatch(/@clinigraph>$/);

    const reminders = await remindersOf(booked.appointmentId, { userId: p.patientId, role: "PATIENT" });
    expect(reminders).toEqual([
      { kind: "APPOINTMENT_REMINDER", channel: "EMAIL", dueAt: "2027-03-09T08:30:00.000Z", status: "SCHEDULED", offsetMinutes: 1440 },
      { kind: "APPOINTMENT_REMINDER", channel: "EMAIL", dueAt: "2027-03-10T07:30:00.000Z", status: "SCHEDULED", offsetMinutes: 60 },
    ]);
    // Their doctor and reception see them too; another patient does not.
    expect(await remindersOf(booked.appointmentId, { userId: p.doctorUserId, role: "DOCTOR" })).toHaveLength(2);
    expect(await remindersOf(booked.appointmentId, { userId: randomUUID(), role: "RECEPTIONIST" })).toHaveLength(2);
    const stranger = await h.call(REMINDERS, { userId: randomUUID(), role: "PATIENT" }, { r: [{ __typename: "Appointment", id: booked.appointmentId }] });
    expect(stranger.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("a reschedule moves the reminders and tells patient and doctor; a cancellation cancels them and tells the doctor", async () => {
    const p = h.patientAndDoctor();
    h.clock.now = new Date("2027-04-01T09:00:00Z");
    const booked = h.appointment(p, "2027-04-12T08:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked, time: "2027-04-01T09:00:00.000Z" }]);
    const moved = { ...booked, startsAt: "2027-04-14T12:00:00.000Z", endsAt: "2027-04-14T12:30:00.000Z", previousStartsAt: booked.startsAt };
    await h.publish(STREAMS.appointments, [{ type: "AppointmentRescheduled", data: moved, time: "2027-04-01T09:05:00.000Z" }]);
    const reminders = await remindersOf(booked.appointmentId, { userId: p.patientId, role: "PATIENT" });
    expect(reminders.filter((r) => r.status === "CANCELLED").map((r) => r.dueAt)).toEqual(["2027-04-11T08:00:00.000Z", "2027-04-12T07:00:00.000Z"]);
    expect(reminders.filter((r) => r.status === "SCHEDULED").map((r) => r.dueAt)).toEqual(["2027-04-13T12:00:00.000Z", "2027-04-14T11:00:00.000Z"]);

    await h.dispatch();
    const toDoctor = await mailbox.next((m) => m.to === p.doctorEmail);
    expect(toDoctor.text).toContain("2:00 PM"); // the new local time (CEST)
    await mailbox.next((m) => m.to === p.patientEmail && m.text.includes("2:00 PM"));

    const cancelled = { ...moved, status: "CANCELLED", actorId: p.patientId };
    await h.publish(STREAMS.appointments, [{ type: "AppointmentCancelled", data: cancelled, time: "2027-04-01T09:10:00.000Z" }]);
    expect((await remindersOf(booked.appointmentId, { userId: p.patientId, role: "PATIENT" })).every((r) => r.status === "CANCELLED")).toBe(true);
    const before = mailbox.mails.filter((m) => m.to === p.doctorEmail).length;
    await h.dispatch();
    await mailbox.next((m) => m.to === p.doctorEmail && mailbox.mails.filter((x) => x.to === p.doctorEmail).indexOf(m) === before);
    // Nothing of the cancelled appointment is still waiting.
    expect((await deliveriesOf(booked.appointmentId)).filter((d) => d.status === "SCHEDULED")).toEqual([]);
  });

  it("a reminder whose time has passed at booking is not created", async () => {
    const p = h.patientAndDoctor();
    h.clock.now = new Date("2027-05-01T09:00:00Z");
    const soon = h.appointment(p, "2027-05-01T12:00:00.000Z"); // 3 h away: the 24 h reminder is already past
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: soon }]);
    expect((await remindersOf(soon.appointmentId, { userId: p.patientId, role: "PATIENT" })).map((r) => r.offsetMinutes)).toEqual([60]);
  });

  it("redelivered events add nothing, and an event older than the known state neither revives reminders nor tells anyone", async () => {
    const p = h.patientAndDoctor();
    h.clock.now = new Date("2027-05-02T09:00:00Z");
    const booked = h.appointment(p, "2027-05-20T08:00:00.000Z");
    const id = randomUUID();
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked, id, time: "2027-05-02T09:00:00.000Z" }]);
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked, id, time: "2027-05-02T09:00:00.000Z" }]);
    expect((await deliveriesOf(booked.appointmentId)).map((d) => d.kind).sort()).toEqual([
      "APPOINTMENT_BOOKED",
      "APPOINTMENT_REMINDER",
      "APPOINTMENT_REMINDER",
    ]);

    // Two instances raced: the cancellation was handled first, the (older) approval after it.
    const other = h.appointment(p, "2027-05-21T08:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "AppointmentCancelled", data: { ...other, status: "CANCELLED" }, time: "2027-05-02T09:10:00.000Z" }]);
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: other, time: "2027-05-02T09:00:00.000Z" }]);
    const rows = await deliveriesOf(other.appointmentId);
    expect(rows.map((d) => d.kind).sort()).toEqual(["APPOINTMENT_CANCELLED", "APPOINTMENT_CANCELLED"]);
  });
});

describe("every kind of message", () => {
  it("reaches the right person, in their language, with no clinical text", async () => {
    h.clock.now = new Date("2027-08-02T08:00:00Z");
    const p = h.patientAndDoctor();
    await h.call(`mutation { updateNotificationPreferences(input: { language: "ru" }) { language } }`, { userId: p.patientId, role: "PATIENT" });
    h.freeStarts.splice(0, h.freeStarts.length, new Date("2027-08-05T07:00:00Z"), new Date("2027-08-05T07:30:00Z"), new Date("2027-08-06T08:00:00Z"));
    const base = h.appointment(p, "2027-08-04T07:00:00.000Z");
    const waitlisted = h.appointment(p, "2027-08-09T07:00:00.000Z", { status: "PENDING", actorId: null });
    await h.publish(STREAMS.appointments, [
      { type: "AppointmentRequested", data: { ...base, status: "PENDING" } }, // → the doctor: approval needed
      { type: "AppointmentRejected", data: { ...base, status: "REJECTED", actorId: p.doctorUserId } }, // → the patient, with alternatives
      { type: "AppointmentRequested", data: waitlisted }, // the waitlist's offer → the patient (and the doctor: approval needed)
      { type: "AppointmentExpired", data: { ...waitlisted, status: "EXPIRED" } }, // → the patient
    ]);
    const visited = h.appointment(p, "2027-08-02T06:00:00.000Z", { status: "FULFILLED", actorId: null });
    await h.publish(STREAMS.appointments, [{ type: "AppointmentFulfilled", data: visited }]); // → feedback request
    const exam = {
      examinationId: randomUUID(),
      encounterId: randomUUID(),
      patientId: p.patientId,
      doctorId: p.doctorId,
      doctorUserId: p.doctorUserId,
      serviceId: randomUUID(),
      actorId: randomUUID(),
      orderedAt: "2027-08-02T06:20:00.000Z",
      pendingExaminations: 0,
    };
    await h.publish(STREAMS.clinical, [
      { type: "ExaminationPerformed", data: { ...exam, status: "PERFORMED" } }, // → the doctor: a result to review
      { type: "ExaminationReviewed", data: { ...exam, status: "REVIEWED", actorId: p.doctorUserId } }, // → the patient: it can be read
    ]);
    await h.dispatch();
    const kinds = await queryDatabase<{ kind: string; recipient_id: string; status: string }>(
      h.db.url,
      "SELECT kind, recipient_id, status FROM notifications.deliveries WHERE recipient_id = ANY($1::uuid[]) AND kind <> 'APPOINTMENT_REMINDER' ORDER BY created_at",
      [[p.patientId, p.doctorUserId]],
    );
    const to = (id: string) =>
      kinds
        .filter((row) => row.recipient_id === id)
        .map((row) => `${row.kind}:${row.status}`)
        .sort();
    expect(to(p.doctorUserId)).toEqual(["APPOINTMENT_REQUESTED:SENT", "APPOINTMENT_REQUESTED:SENT", "EXAMINATION_RESULT_READY:SENT"]);
    expect(to(p.patientId)).toEqual([
      "APPOINTMENT_REJECTED:SENT",
      "EXAMINATION_RESULT_READY:SENT",
      "FEEDBACK_REQUEST:SENT",
      "HOLD_EXPIRED:SENT",
      "WAITLIST_OFFER:SENT",
    ]);

    const toPatient = mailbox.mails.filter((mail) => mail.to === p.patientEmail);
    expect(toPatient).toHaveLength(5);
    for (const mail of toPatient) expect(mail.text).toMatch(/[\u0400-\u04FF]/); // Russian
    // The rejection offers the doctor's next free times (local: 09:00 and 09:30 CEST on the 5th).
    const rejected = toPatient.find((mail) => mail.text.includes("09:30"));
    expect(rejected?.text).toContain("10:00");
    // Examination messages say a result exists, never what it is.
    for (const mail of mailbox.mails.filter((m) => m.to === p.patientEmail || m.to === p.doctorEmail)) expect(mail.text).not.toMatch(/diagnos|result:/i);
  });

  it("a channel that is not configured ends FAILED saying so, and the user's log shows it", async () => {
    const p = h.patientAndDoctor();
    h.phones.set(p.patientId, "+491701234567");
    h.people.set(p.patientId, { ...h.people.get(p.patientId)!, phone: "+491701234567" });
    await h.call(`mutation { updateNotificationPreferences(input: { channels: [SMS] }) { channels } }`, { userId: p.patientId, role: "PATIENT" });
    h.clock.now = new Date("2027-08-03T08:00:00Z");
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: h.appointment(p, "2027-08-20T07:00:00.000Z") }]);
    await h.dispatch();
    const log = await h.call("{ myNotifications { edges { node { kind channel status attempts lastError sentAt } } } }", {
      userId: p.patientId,
      role: "PATIENT",
    });
    const nodes = (log.data!.myNotifications as { edges: { node: Record<string, unknown> }[] }).edges.map((edge) => edge.node);
    expect(nodes.find((node) => node.kind === "APPOINTMENT_BOOKED")).toMatchObject({
      channel: "SMS",
      status: "FAILED",
      attempts: 1,
      sentAt: null,
      lastError: expect.stringMatching(/SMS is not configured/),
    });
    expect(nodes.filter((node) => node.kind === "APPOINTMENT_REMINDER").map((node) => node.status)).toEqual(["SCHEDULED", "SCHEDULED"]);
    // Only administrators see other people's log.
    const refused = await h.call("{ notifications { edges { node { id } } } }", { userId: p.patientId, role: "PATIENT" });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const admin = await h.call(
      `query($f: NotificationFilter) { notifications(filter: $f) { edges { node { kind subject status } } } }`,
      { userId: randomUUID(), role: "ADMIN" },
      {
        f: { recipientId: p.patientId, status: "FAILED" },
      },
    );
    expect((admin.data!.notifications as { edges: { node: { kind: string } }[] }).edges.map((edge) => edge.node.kind)).toEqual(["APPOINTMENT_BOOKED"]);
  });
});

describe("the scheduler", () => {
  // Each test starts with an empty queue: what earlier tests left due must not count in this one's passes.
  beforeEach(async () => {
    await queryDatabase(h.db.url, "UPDATE notifications.deliveries SET status = 'CANCELLED' WHERE status = 'SCHEDULED'");
  });

  it("sends a reminder once at its time, across a DST change, with the local time after the change", async () => {
    const p = h.patientAndDoctor();
    // Berlin moves to summer time on 2027-03-28 at 02:00; the appointment is on the 29th at 09:00 CEST (07:00Z).
    h.clock.now = new Date("2027-03-20T09:00:00Z");
    const booked = h.appointment(p, "2027-03-29T07:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked }]);
    const due = new Date("2027-03-28T07:00:00.000Z"); // 24 h of elapsed time before: 09:00 CEST on the 28th
    await h.dispatch(); // the confirmation
    await mailbox.next((m) => m.to === p.patientEmail);
    const count = () => mailbox.mails.filter((m) => m.to === p.patientEmail).length;

    expect((await h.dispatch(new Date(due.getTime() - 1_000))).claimed).toBe(0);
    expect(await h.dispatch(due)).toMatchObject({ claimed: 1, sent: 1 });
    const reminder = await mailbox.next((m) => m.to === p.patientEmail && mailbox.mails.filter((x) => x.to === p.patientEmail).indexOf(m) === 1);
    expect(reminder.text).toContain("9:00");
    expect(reminder.text).toContain("Europe/Berlin");
    expect((await h.dispatch(new Date(due.getTime() + 60_000))).claimed).toBe(0);
    expect(count()).toBe(2);
    const rows = await deliveriesOf(booked.appointmentId);
    expect(rows.filter((d) => d.kind === "APPOINTMENT_REMINDER").map((d) => d.status)).toEqual(["SENT", "SCHEDULED"]);
  });

  it("SMTP down: the delivery is retried with backoff and delivered once when the server is back", async () => {
    const p = h.patientAndDoctor();
    h.clock.now = new Date("2027-06-01T09:00:00Z");
    const booked = h.appointment(p, "2027-06-01T15:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked }]);
    await mailbox.down();
    try {
      expect(await h.dispatch()).toMatchObject({ claimed: 1, retried: 1 });
    } finally {
      await mailbox.up();
    }
    const [waiting] = (await deliveriesOf(booked.appointmentId)).filter((d) => d.kind === "APPOINTMENT_BOOKED");
    expect(waiting).toMatchObject({ status: "SCHEDULED", attempts: 1 });
    expect(waiting!.last_error).toBeTruthy();
    expect(waiting!.due_at.toISOString()).toBe("2027-06-01T09:00:30.000Z"); // 30 s later
    expect((await h.dispatch(new Date("2027-06-01T09:00:10Z"))).claimed).toBe(0); // not before its time
    expect(await h.dispatch(new Date("2027-06-01T09:00:30Z"))).toMatchObject({ claimed: 1, sent: 1 });
    await mailbox.next((m) => m.to === p.patientEmail);
    expect(await h.dispatch(new Date("2027-06-01T09:05:00Z"))).toMatchObject({ claimed: 0 });
    expect(mailbox.mails.filter((m) => m.to === p.patientEmail)).toHaveLength(1);
  });

  it("two scheduler instances send every reminder exactly once", async () => {
    h.clock.now = new Date("2027-07-01T08:00:00Z");
    const booked: AppointmentEventData[] = [];
    const emails = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const p = h.patientAndDoctor();
      emails.add(p.patientEmail);
      booked.push(h.appointment(p, "2027-07-01T10:00:00.000Z"));
    }
    await h.publish(
      STREAMS.appointments,
      booked.map((data) => ({ type: "AppointmentBooked" as const, data, time: "2027-07-01T08:00:00.000Z" })),
    );
    // A second process on the same database (its own SMTP connections), started after the events were handled.
    const second = await startNotifications(
      {
        DATABASE_URL: h.db.url,
        CLINIGRAPH_ROUTER_SECRETS: "test-router-secret-0123456789abcdef0123456789abcdef",
        NOTIFICATIONS_PORT: "0",
        NOTIFICATIONS_SCHEDULER: "off",
        NOTIFICATIONS_BATCH_SIZE: "25",
        SMTP_URL: mailbox.url,
        LOG_LEVEL: "silent",
      },
      { contacts: h.running.deps.contacts, directory: h.running.deps.directory, bus: h.bus, consumerName: "second" },
    );
    try {
      // Confirmations and reminders (60 min before) fall due; both instances pass over them at once.
      const at = new Date("2027-07-01T09:00:00Z");
      const passes = async (deps: typeof h.running.deps) => {
        let total = 0;
        for (;;) {
          const report = await dispatchDue(deps, at);
          total += report.sent;
          if (report.claimed === 0) return total;
        }
      };
      const small = (deps: typeof h.running.deps) => ({ ...deps, dispatch: { ...deps.dispatch, batchSize: 25 } });
      const [a, b] = await Promise.all([passes(small(h.running.deps)), passes(small(second.deps))]);
      expect(a + b).toBe(120);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      const received = mailbox.mails.filter((m) => emails.has(m.to));
      expect(received).toHaveLength(120);
      expect(new Set(received.map((m) => m.messageId)).size).toBe(120);
    } finally {
      await second.close();
    }
  });
});
