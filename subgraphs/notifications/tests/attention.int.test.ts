/**
 * Notifications' consumer of AppointmentNeedsAttention (group `notifications-attention`) on a real database, with e-mail
 * to a real SMTP server: attentionReason DOCTOR_DEACTIVATED gives the patient one APPOINTMENT_NEEDS_REBOOKING per
 * appointment — a redelivered event, or copies of it taken by two instances of the group, add none — naming the doctor
 * and free times of other doctors of the same specialty, and stops the appointment's reminders still ahead; any other
 * attentionReason (for staff) tells nobody and keeps them.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createMemoryEventBus, STREAMS, type AppointmentEventData, type Consumer, type EventBus } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { publishAndSettle, queryDatabase, startMailbox, type Mailbox, type TestEvent } from "@clinigraph/testing";
import { ATTENTION_GROUP, startAttentionConsumer } from "../src/events/consumers/attention.js";
import { BERLIN_DOCTOR, startHarness, type Harness, type People } from "./support/harness.js";

let mailbox: Mailbox;
let h: Harness;

beforeAll(async () => {
  mailbox = await startMailbox();
  h = await startHarness({ now: new Date("2027-05-03T08:00:00Z"), env: { SMTP_URL: mailbox.url, MAIL_FROM: "Clinic <clinic@example.test>" } });
});

afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

const needsAttention = (data: AppointmentEventData, id?: string): TestEvent<"AppointmentNeedsAttention"> => ({
  type: "AppointmentNeedsAttention",
  data,
  time: h.clock.now.toISOString(),
  ...(id ? { id } : {}),
});

/** A BOOKED (or PENDING) appointment notifications has heard of: its AppointmentBooked (or Requested) handled first. */
async function known(p: People, startsAt: string, patch: Partial<AppointmentEventData> = {}): Promise<AppointmentEventData> {
  const data = h.appointment(p, startsAt, patch);
  const { attentionReason: _reason, ...lifecycle } = data;
  await h.publish(STREAMS.appointments, [{ type: data.status === "PENDING" ? "AppointmentRequested" : "AppointmentBooked", data: lifecycle }]);
  return data;
}

type Row = { kind: string; recipient_id: string; channel: string; status: string };
/** Rows in a fixed order: they are made at the fake clock's one instant, so created_at does not order them. */
const inOrder = (rows: readonly Row[]) => rows.map((row) => ({ ...row })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
/** The ledger once the reminders still ahead have stopped (DOCTOR_DEACTIVATED: the patient was told to rebook). */
const withRemindersStopped = (rows: readonly Row[]) =>
  rows.map((row) => (row.kind === "APPOINTMENT_REMINDER" && row.status === "SCHEDULED" ? { ...row, status: "CANCELLED" } : row));
const deliveriesOf = async (appointmentId: string) =>
  inOrder(
    await queryDatabase<Row>(h.db.url, "SELECT kind, recipient_id, channel, status FROM notifications.deliveries WHERE appointment_id = $1", [appointmentId]),
  );

describe("AppointmentNeedsAttention", () => {
  it("DOCTOR_DEACTIVATED: one APPOINTMENT_NEEDS_REBOOKING per appointment to its patient, however often the event comes", async () => {
    const p = h.patientAndDoctor();
    const other = h.patientAndDoctor();
    h.specialtySlots.splice(0, h.specialtySlots.length, { startsAt: new Date("2027-05-10T08:00:00Z"), doctorName: "Dr. Omar Colleague" });
    const first = await known(p, "2027-05-12T08:00:00.000Z", { attentionReason: "DOCTOR_DEACTIVATED", actorId: null });
    const second = await known(other, "2027-05-13T09:30:00.000Z", { status: "PENDING", attentionReason: "DOCTOR_DEACTIVATED", actorId: null });
    // What the booking and the request left: a confirmation and reminders (sent now), reminders ahead.
    await h.dispatch();
    const before = await Promise.all([first, second].map((data) => deliveriesOf(data.appointmentId)));

    const ids = await h.publish(STREAMS.appointments, [needsAttention(first), needsAttention(second)]);
    // Redelivered: in one block with itself, then alone.
    await h.publish(STREAMS.appointments, [needsAttention(first, ids[0]), needsAttention(first, ids[0]), needsAttention(second, ids[1])]);
    await h.publish(STREAMS.appointments, [needsAttention(second, ids[1])]);

    for (const [i, [data, people]] of (
      [
        [first, p],
        [second, other],
      ] as const
    ).entries()) {
      // One message more, to the patient; the reminders still ahead stop (they were told to rebook); the rest as it was.
      const stopped = withRemindersStopped(before[i]!);
      // Not vacuous: the booked appointment had reminders ahead (the request, PENDING, has none yet).
      if (i === 0) expect(stopped).not.toEqual(before[i]);
      expect(await deliveriesOf(data.appointmentId)).toEqual(
        inOrder([...stopped, { kind: "APPOINTMENT_NEEDS_REBOOKING", recipient_id: people.patientId, channel: "EMAIL", status: "SCHEDULED" }]),
      );
    }

    expect(await h.dispatch()).toMatchObject({ sent: 2 });
    const mail = await mailbox.next((m) => m.to === p.patientEmail && /new doctor/i.test(m.subject));
    expect(mail.subject).toMatch(/new doctor/i);
    expect(mail.text).toContain(BERLIN_DOCTOR.name);
    expect(mail.text).toContain("Dr. Omar Colleague");
    expect(mail.text).toContain("https://app.clinic.example/patient");
    await mailbox.next((m) => m.to === other.patientEmail && /new doctor/i.test(m.subject));
    // Nothing more is due: a second pass sends nothing.
    expect(await h.dispatch()).toMatchObject({ claimed: 0 });
    expect(mailbox.mails.filter((m) => (m.to === p.patientEmail || m.to === other.patientEmail) && /new doctor/i.test(m.subject))).toHaveLength(2);
    expect(await h.bus.deadLetters(STREAMS.appointments, ATTENTION_GROUP)).toEqual([]);
  });

  it("any other attentionReason is for staff: nobody is told", async () => {
    const p = h.patientAndDoctor();
    const appointments = [
      await known(p, "2027-05-14T08:00:00.000Z", { attentionReason: "SCHEDULE_CHANGED" }),
      await known(h.patientAndDoctor(), "2027-05-14T09:00:00.000Z", { attentionReason: "SOMETHING_NEW" }),
      await known(h.patientAndDoctor(), "2027-05-14T10:00:00.000Z"),
    ];
    const ledger = () => queryDatabase(h.db.url, "SELECT id, kind, status, due_at, updated_at FROM notifications.deliveries ORDER BY id");
    const before = await ledger();
    await h.publish(
      STREAMS.appointments,
      appointments.map((data) => needsAttention(data)),
    );
    expect(await ledger()).toEqual(before);
  });

  describe("two instances of the group", () => {
    let bus: EventBus;
    const instances: Consumer[] = [];
    /** Transactions each instance ran (one per block it took). */
    const runs = [0, 0];
    beforeAll(() => {
      bus = createMemoryEventBus();
      const logger = createLogger("notifications-test", "silent");
      for (const i of [0, 1]) {
        const { unitOfWork, clock } = h.running.deps;
        const deps = {
          clock,
          unitOfWork: {
            run: ((work) => {
              runs[i]!++;
              return unitOfWork.run(work);
            }) as typeof unitOfWork.run,
          },
        };
        // One entry per read (subscribe takes batchSize): the copies are spread over both instances.
        const options = { bus, deps, logger, consumer: `notifications-${i + 1}`, batchSize: 1 };
        instances.push(startAttentionConsumer(options));
      }
    });
    afterAll(async () => {
      for (const instance of instances) await instance.stop();
      await bus?.close();
    });

    it("taking copies of the same event side by side add one message", async () => {
      const p = h.patientAndDoctor();
      const data = await known(p, "2027-05-20T08:00:00.000Z", { attentionReason: "DOCTOR_DEACTIVATED", actorId: null });
      const before = await deliveriesOf(data.appointmentId);
      const event = needsAttention(data, randomUUID());
      await publishAndSettle(
        bus,
        instances,
        STREAMS.appointments,
        Array.from({ length: 6 }, () => event),
        h.clock.now,
      );
      expect(runs[0]).toBeGreaterThan(0);
      expect(runs[1]).toBeGreaterThan(0);
      const stopped = withRemindersStopped(before);
      expect(await deliveriesOf(data.appointmentId)).toEqual(
        inOrder([...stopped, { kind: "APPOINTMENT_NEEDS_REBOOKING", recipient_id: p.patientId, channel: "EMAIL", status: "SCHEDULED" }]),
      );
      expect(await bus.deadLetters(STREAMS.appointments, ATTENTION_GROUP)).toEqual([]);
    });
  });
});
