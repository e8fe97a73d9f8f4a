/**
 * Scheduling's consumer of doctors' status events (group `scheduling-doctor-status`) on a real database, on a fake
 * clock: DoctorDeactivated flags each upcoming PENDING or BOOKED appointment of the doctor once (needsAttention, a
 * NEEDS_ATTENTION history entry, an AppointmentNeedsAttention DOCTOR_DEACTIVATED in the outbox) — a redelivery, or two
 * instances of the group handling copies of the event, flag nothing twice — leaves appointments that started or were
 * cancelled alone, blocks the doctor's free slots and refuses new requests (DOCTOR_UNAVAILABLE). DoctorReactivated
 * brings the slots back and clears no flag.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createMemoryEventBus, STREAMS, type Consumer, type DoctorStatusChangedData, type EventBus } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { publishAndSettle, type TestEvent } from "@clinigraph/testing";
import { requestAppointment } from "../src/domain/requestAppointment.js";
import { DOCTOR_STATUS_GROUP, startDoctorStatusConsumer } from "../src/index.js";
import {
  actorOf,
  appointmentIn,
  appointmentRow,
  at,
  historyActions,
  newPatient,
  outboxTypes,
  request,
  seedDoctor,
  slotAt,
  type SeededDoctor,
} from "./support/factories.js";
import { useHarness } from "./support/harness.js";
import { AVAILABLE } from "./support/operations.js";

const h = useHarness({ horizonDays: 14 });
const logger = createLogger("scheduling-test", "silent");
let bus: EventBus;
let consumer: Consumer;
beforeAll(() => {
  bus = createMemoryEventBus({ logger });
  consumer = startDoctorStatusConsumer({ bus, deps: h.deps, logger });
});
afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
});

type StatusEventType = "DoctorDeactivated" | "DoctorReactivated";
const statusEvent = (type: StatusEventType, doctor: SeededDoctor, id?: string): TestEvent<StatusEventType> => ({
  type,
  data: {
    doctorId: doctor.id,
    doctorUserId: doctor.snapshot.userId ?? null,
    actorId: randomUUID(),
    at: h.clock.now().toISOString(),
  } satisfies DoctorStatusChangedData,
  ...(id ? { id } : {}),
});

/** Publishes on the doctors stream and waits until the consumer(s) handled every event. */
const publish = (events: TestEvent<StatusEventType>[], on: { bus: EventBus; consumers: Consumer[] } = { bus, consumers: [consumer] }) =>
  publishAndSettle(on.bus, on.consumers, STREAMS.doctors, events, h.clock.now());

/** As the doctors subgraph answers once the doctor is (de)activated: scheduling re-reads the doctor after each event. */
const doctorsSays = (doctor: SeededDoctor, active: boolean) => {
  doctor.snapshot = { ...doctor.snapshot, active };
  h.doctors.put(doctor.snapshot);
};

/** What the flags wrote for an appointment: its flag, its history and its outbox. */
const trailOf = async (id: string) => ({
  needsAttention: (await appointmentRow(h, id)).needsAttention,
  history: await historyActions(h, id),
  outbox: await outboxTypes(h, id),
});

const slotCounts = async (doctorId: string) => {
  const rows = await h.prisma.slot.groupBy({ by: ["status"], where: { doctorId, startsAt: { gte: h.clock.now() } }, _count: true });
  return Object.fromEntries(rows.map((row) => [row.status, row._count]));
};

const available = async (doctorId: string) => {
  const res = await h.call<{ availableSlots: { id: string }[] }>(
    AVAILABLE,
    { filter: { doctorId, from: "2026-03-02T00:00:00Z", to: "2026-03-16T00:00:00Z" }, first: 500 },
    newPatient(),
  );
  expect(res.errors).toBeUndefined();
  return res.data!.availableSlots.map((slot) => slot.id);
};

describe("DoctorDeactivated", () => {
  it("flags each upcoming PENDING/BOOKED appointment once, leaves past and cancelled ones, blocks free slots; a redelivery changes nothing", async () => {
    const doctor = await seedDoctor(h);
    const colleague = await seedDoctor(h);
    // Monday 14:00 Berlin: it will have started when the doctor leaves at 15:00.
    const started = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-02T14:00" });
    const booked = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T10:00" });
    const pending = await appointmentIn(h, "PENDING", { doctor, local: "2026-03-05T11:00" });
    const cancelled = await appointmentIn(h, "CANCELLED", { doctor, local: "2026-03-04T12:00" });
    const colleagues = await appointmentIn(h, "BOOKED", { doctor: colleague, local: "2026-03-04T10:00" });
    h.clock.set(at("2026-03-02T15:00"));
    const untouched = [started, cancelled, colleagues].map((made) => made.appointment.id);
    const before = await Promise.all(untouched.map(trailOf));
    const freeBefore = await slotCounts(doctor.id);
    expect(freeBefore.FREE).toBeGreaterThan(0);

    doctorsSays(doctor, false);
    const event = statusEvent("DoctorDeactivated", doctor);
    const [eventId] = await publish([event]);

    for (const { appointment } of [booked, pending]) {
      const trail = await trailOf(appointment.id);
      expect(trail.needsAttention).toBe(true);
      expect(trail.history.filter((action) => action === "NEEDS_ATTENTION")).toHaveLength(1);
      expect(trail.history.at(-1)).toBe("NEEDS_ATTENTION");
      expect(trail.outbox.filter((type) => type === "AppointmentNeedsAttention")).toHaveLength(1);
      // The status stays: staff decide (rebook or cancel).
      expect((await appointmentRow(h, appointment.id)).status).toBe(appointment.status);
      const [written] = await h.prisma.outboxEvent.findMany({ where: { aggregateId: appointment.id, type: "AppointmentNeedsAttention" } });
      expect(written!.payload).toMatchObject({
        appointmentId: appointment.id,
        doctorId: doctor.id,
        status: appointment.status,
        attentionReason: "DOCTOR_DEACTIVATED",
      });
    }
    expect(await Promise.all(untouched.map(trailOf))).toEqual(before);
    // Free slots blocked; the booked ones stay BUSY.
    expect(await slotCounts(doctor.id)).toEqual({ BLOCKED: freeBefore.FREE! + (freeBefore.BLOCKED ?? 0), BUSY: freeBefore.BUSY });
    expect(await available(doctor.id)).toEqual([]);
    expect((await available(colleague.id)).length).toBeGreaterThan(0);
    expect((await h.prisma.doctorProfile.findUniqueOrThrow({ where: { doctorId: doctor.id } })).active).toBe(false);

    // Redelivered (the same event id), twice: no second flag, history entry or event.
    const after = await Promise.all([booked, pending].map((made) => trailOf(made.appointment.id)));
    await publish([
      { ...event, id: eventId! },
      { ...event, id: eventId! },
    ]);
    expect(await Promise.all([booked, pending].map((made) => trailOf(made.appointment.id)))).toEqual(after);
    expect(await bus.deadLetters(STREAMS.doctors, DOCTOR_STATUS_GROUP)).toEqual([]);
  });

  it("refuses requests for the doctor's former free slots (DOCTOR_UNAVAILABLE), and the waitlist and overbooking", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    doctorsSays(doctor, false);
    await publish([statusEvent("DoctorDeactivated", doctor)]);

    const result = await requestAppointment(h.deps, actorOf(newPatient()), { slotId: slot.id });
    expect(result).toMatchObject({ kind: "SlotUnavailable", code: "DOCTOR_UNAVAILABLE" });
    expect((await slotAt(h, doctor.id, "2026-03-04T10:00")).status).toBe("BLOCKED");
    expect(await h.prisma.appointment.count({ where: { doctorId: doctor.id } })).toBe(0);

    const patient = newPatient();
    const waitlist = await h.call(
      `mutation($input: WaitlistInput!) { joinWaitlist(input: $input) { id } }`,
      { input: { doctorId: doctor.id, from: "2026-03-03T00:00:00Z", to: "2026-03-10T00:00:00Z" } },
      patient,
    );
    expect(waitlist.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.doctorId" });
    const overbook = await h.call(
      `mutation($input: OverbookInput!) { overbookAppointment(input: $input) { id } }`,
      { input: { slotId: slot.id, patientId: patient.userId, reason: "Urgent" } },
      { userId: randomUUID(), role: "ADMIN" },
    );
    expect(overbook.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("for a doctor scheduling does not know: acknowledged, nothing written", async () => {
    const stranger: SeededDoctor = { ...(await seedDoctor(h)), id: randomUUID() };
    const outbox = await h.prisma.outboxEvent.count();
    await publish([statusEvent("DoctorDeactivated", stranger), { ...statusEvent("DoctorReactivated", stranger) }]);
    expect(await h.prisma.outboxEvent.count()).toBe(outbox);
    expect(await h.prisma.slot.count({ where: { doctorId: stranger.id } })).toBe(0);
    expect(await bus.deadLetters(STREAMS.doctors, DOCTOR_STATUS_GROUP)).toEqual([]);
  });

  describe("two instances of the group", () => {
    let shared: EventBus;
    const instances: Consumer[] = [];
    /** Events each instance handled (each ends by re-reading the doctor once). */
    const handled = [0, 0];
    beforeAll(() => {
      shared = createMemoryEventBus({ logger });
      for (const i of [0, 1]) {
        const deps = {
          ...h.deps,
          doctors: {
            ...h.deps.doctors,
            fetchDoctor: (id: string) => {
              handled[i]!++;
              return h.deps.doctors.fetchDoctor(id);
            },
          },
        };
        // One entry per read (subscribe takes batchSize): the copies of the event are spread over both instances.
        const options = { bus: shared, deps, logger, consumer: `scheduling-${i + 1}`, batchSize: 1 };
        instances.push(startDoctorStatusConsumer(options));
      }
    });
    afterAll(async () => {
      for (const instance of instances) await instance.stop();
      await shared?.close();
    });

    it("handling copies of one DoctorDeactivated side by side flag each appointment once", async () => {
      const doctor = await seedDoctor(h);
      const appointments = await Promise.all(
        ["2026-03-03T10:00", "2026-03-04T11:00", "2026-03-05T12:00"].map((local) => appointmentIn(h, "BOOKED", { doctor, local })),
      );
      doctorsSays(doctor, false);
      const event = statusEvent("DoctorDeactivated", doctor, randomUUID());
      await publish(
        Array.from({ length: 6 }, () => event),
        { bus: shared, consumers: instances },
      );

      expect(handled[0]! + handled[1]!).toBe(6);
      expect(handled[0]).toBeGreaterThan(0);
      expect(handled[1]).toBeGreaterThan(0);
      for (const { appointment } of appointments) {
        const trail = await trailOf(appointment.id);
        expect(trail.needsAttention).toBe(true);
        expect(trail.history.filter((action) => action === "NEEDS_ATTENTION")).toHaveLength(1);
        expect(trail.outbox.filter((type) => type === "AppointmentNeedsAttention")).toHaveLength(1);
      }
      expect(await h.prisma.processedEvent.count({ where: { eventId: event.id!, consumer: DOCTOR_STATUS_GROUP } })).toBe(1);
      expect(await shared.deadLetters(STREAMS.doctors, DOCTOR_STATUS_GROUP)).toEqual([]);
    });
  });
});

describe("DoctorReactivated", () => {
  it("brings the free slots back and leaves the flags; the doctor can be booked again", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const flagged = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T10:00" });
    const formerSlot = await slotAt(h, doctor.id, "2026-03-04T11:00");
    const freeBefore = (await slotCounts(doctor.id)).FREE;

    doctorsSays(doctor, false);
    await publish([statusEvent("DoctorDeactivated", doctor)]);
    expect(await available(doctor.id)).toEqual([]);
    const flaggedTrail = await trailOf(flagged.appointment.id);
    expect(flaggedTrail.needsAttention).toBe(true);

    doctorsSays(doctor, true);
    const event = statusEvent("DoctorReactivated", doctor);
    const [eventId] = await publish([event]);
    await publish([{ ...event, id: eventId! }]); // redelivered: nothing more
    expect((await slotCounts(doctor.id)).FREE).toBe(freeBefore);
    expect(await available(doctor.id)).toContain(formerSlot.id);
    expect((await h.prisma.doctorProfile.findUniqueOrThrow({ where: { doctorId: doctor.id } })).active).toBe(true);
    // The flag, its history and its event stay as they were: staff decide.
    expect(await trailOf(flagged.appointment.id)).toEqual(flaggedTrail);

    const rebooked = await request(h, newPatient(), formerSlot.id);
    expect(rebooked.status).toBe("BOOKED");
  });

  it("whatever order the events arrive in, the doctor ends as the doctors subgraph says", async () => {
    const doctor = await seedDoctor(h);
    // Deactivated, then reactivated in doctors; scheduling receives the reactivation first.
    doctorsSays(doctor, true);
    await publish([statusEvent("DoctorReactivated", doctor), statusEvent("DoctorDeactivated", doctor)]);
    expect((await h.prisma.doctorProfile.findUniqueOrThrow({ where: { doctorId: doctor.id } })).active).toBe(true);
    expect((await available(doctor.id)).length).toBeGreaterThan(0);
  });
});
