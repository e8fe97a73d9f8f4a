/**
 * Booking hardening on real PostgreSQL:
 *  - a waitlist offer counts like a booking: a waiting patient offered a freed slot while they book another
 *    slot of the same doctor and day ends with at most BOOKING_MAX_PER_PATIENT_DOCTOR_DAY live appointments
 *    that day; when they are at the limit, the next in line gets the slot; never a deadlock or a 5xx;
 *  - staff book only for an id accounts knows as a patient;
 *  - a PENDING request's hold ends holdMinutes after the original request, however often it is moved.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { expireHolds } from "../src/index.js";
import { offerPendingSlots } from "../src/domain/waitlist.js";
import { localDayRange } from "../src/domain/localDay.js";
import { appointmentIn, appointmentRow, BERLIN, newPatient, newStaff, seedDoctor, slotAt, slotById, type Caller } from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { CANCEL, JOIN_WAITLIST, OVERBOOK, REQUEST, RESCHEDULE, type BookingView, type WaitlistView } from "./support/operations.js";

const h = useHarness({ holdMinutes: 15, maxPerPatientDoctorDay: 1 });
beforeEach(() => {
  h.patients.down = false;
});

const LIVE = ["PENDING", "BOOKED", "CHECKED_IN"] as const;
const THIS_WEEK = { from: "2026-03-03T00:00:00Z", to: "2026-03-07T00:00:00Z" };

async function join(patient: Caller, doctorId: string) {
  const res = await h.call<{ joinWaitlist: WaitlistView }>(JOIN_WAITLIST, { input: { doctorId, ...THIS_WEEK } }, patient);
  expect(res.errors).toBeUndefined();
  return res.data!.joinWaitlist;
}

/** Live appointments of the patient with the doctor on the doctor's local day of `day`. */
async function liveThatDay(patientId: string, doctorId: string, day: Date) {
  const range = localDayRange(day, BERLIN);
  return h.prisma.appointment.count({ where: { patientId, doctorId, status: { in: [...LIVE] }, startsAt: { gte: range.from, lt: range.to } } });
}

describe("a waitlist offer counts against the per-day limit, like a booking", () => {
  const ROUNDS = 8;

  it.each([false, true])(
    "offered a freed slot while booking another the same day (autoApprove %s): at most the limit, the next in line gets the slot",
    async (autoApprove) => {
      for (let repeat = 0; repeat < 2; repeat++) {
        const rounds = await Promise.all(
          Array.from({ length: ROUNDS }, async () => {
            const doctor = await seedDoctor(h, { autoApprove });
            const freed = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T10:00" });
            const other = await slotAt(h, doctor.id, "2026-03-04T15:00"); // same local day
            const [racer, next] = [newPatient(), newPatient()];
            await join(racer, doctor.id);
            h.clock.advanceMinutes(0.01); // `next` joined later: second in line
            await join(next, doctor.id);
            return { doctor, freed, other, racer, next };
          }),
        );
        // Every round at once: the cancel (which offers the slot to `racer`) and racer's own booking.
        const results = await Promise.all(
          rounds.map((r) =>
            Promise.all([
              h.call(CANCEL, { id: r.freed.appointment.id }, r.freed.patient),
              h.call<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: r.other.id } }, r.racer),
            ]),
          ),
        );
        for (const [i, r] of rounds.entries()) {
          const [cancelled, booking] = results[i]!;
          expect(cancelled.status).toBe(200);
          expect(codeOf(cancelled)).toBe("OK");
          expect(booking.status).toBe(200);
          expect(["OK", "CONFLICT"]).toContain(codeOf(booking)); // CONFLICT: the offer came first, the day is full
          expect(await liveThatDay(r.racer.userId, r.doctor.id, r.other.startsAt)).toBe(1);
          const holder = await h.prisma.appointment.findFirst({ where: { slotId: r.freed.slot.id, status: { in: [...LIVE] } } });
          if (codeOf(booking) === "OK") {
            // racer's own booking won: they were passed over, the next in line got the freed slot, racer keeps waiting.
            expect(holder?.patientId).toBe(r.next.userId);
            expect((await h.prisma.waitlistEntry.findFirstOrThrow({ where: { patientId: r.racer.userId } })).status).toBe("WAITING");
          } else {
            expect(holder?.patientId).toBe(r.racer.userId);
            expect((await h.prisma.waitlistEntry.findFirstOrThrow({ where: { patientId: r.next.userId } })).status).toBe("WAITING");
          }
          expect((await slotById(h, r.freed.slot.id)).status).toBe("BUSY");
        }
      }
    },
  );

  it("a patient at the limit is passed over and stays WAITING; with nobody else in line the slot stays free", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const freed = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T10:00" });
    const waiting = newPatient();
    await appointmentIn(h, "BOOKED", { doctor, patient: waiting, local: "2026-03-04T16:00" });
    await join(waiting, doctor.id);
    expect(codeOf(await h.call(CANCEL, { id: freed.appointment.id }, freed.patient))).toBe("OK");
    expect((await h.prisma.waitlistEntry.findFirstOrThrow({ where: { patientId: waiting.userId } })).status).toBe("WAITING");
    expect((await slotById(h, freed.slot.id)).status).toBe("FREE");
    expect(await liveThatDay(waiting.userId, doctor.id, freed.slot.startsAt)).toBe(1);
  });
});

describe("a waitlist offer survives a crash between the freeing commit and the offer", () => {
  it("the freeing transaction records the slot; the offer clears the record; a record left by a crash is offered by the sweep", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    // The ordinary path: the cancel frees the slot, the offer runs after the commit and clears its record.
    const first = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T10:00" });
    const waiting = newPatient();
    await join(waiting, doctor.id);
    expect(codeOf(await h.call(CANCEL, { id: first.appointment.id }, first.patient))).toBe("OK");
    expect(await liveThatDay(waiting.userId, doctor.id, first.slot.startsAt)).toBe(1);
    expect(await h.prisma.pendingOffer.count({ where: { slotId: first.slot.id } })).toBe(0);

    // A crash: the cancel of another appointment commits (the slot freed and recorded), the process dies before offering.
    const second = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-05T10:00" });
    const next = newPatient();
    await join(next, doctor.id);
    await h.deps.unitOfWork.run(async (tx) => {
      expect(await tx.appointments.transition(second.appointment.id, ["BOOKED"], { status: "CANCELLED" }, h.clock.now())).not.toBeNull();
      const { id, startsAt, endsAt } = second.slot;
      expect(await tx.slots.release({ id, doctorId: doctor.id, startsAt, endsAt }, second.appointment.id, h.clock.now())).toBe(true);
    });
    expect((await slotById(h, second.slot.id)).status).toBe("FREE");

    // A record younger than the sweep's margin belongs to an offer that may still be running: left alone.
    expect(await offerPendingSlots(h.deps, { olderThanMs: 60_000 })).toBe(0);
    h.clock.advanceMinutes(2);
    // Two instances sweeping at once: the slot is offered once.
    const swept = await Promise.all([offerPendingSlots(h.deps), offerPendingSlots(h.deps)]);
    expect(swept.some((n) => n >= 1)).toBe(true);
    expect((await slotById(h, second.slot.id)).status).toBe("BUSY");
    expect(await liveThatDay(next.userId, doctor.id, second.slot.startsAt)).toBe(1);
    expect(await h.prisma.appointment.count({ where: { slotId: second.slot.id, status: { in: [...LIVE] } } })).toBe(1);
    expect(await h.prisma.pendingOffer.count({ where: { slotId: second.slot.id } })).toBe(0);
  });
});

describe("staff book only for a patient accounts knows", () => {
  it("reception booking for an unknown id or a staff user's id: BAD_USER_INPUT on input.patientId, nothing written", async () => {
    const doctor = await seedDoctor(h);
    const slot = await slotAt(h, doctor.id, "2026-03-04T11:00");
    const reception = newStaff("RECEPTIONIST");
    for (const notAPatient of [randomUUID(), doctor.snapshot.userId!]) {
      h.patients.notPatients.add(notAPatient);
      const res = await h.call(REQUEST, { input: { slotId: slot.id, patientId: notAPatient } }, reception);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.patientId" });
      expect(res.errors?.[0]?.message).not.toContain(notAPatient);
    }
    expect(await h.prisma.appointment.count({ where: { slotId: slot.id } })).toBe(0);
    expect((await slotById(h, slot.id)).status).toBe("FREE");
    // A real patient is booked as before.
    const patient = newPatient();
    const ok = await h.call<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: slot.id, patientId: patient.userId } }, reception);
    expect(ok.data?.requestAppointment).toMatchObject({ __typename: "Appointment", patient: { id: patient.userId } });
  });

  it("an overbooking for a staff user's id: BAD_USER_INPUT", async () => {
    const booked = await appointmentIn(h, "BOOKED");
    const staff = newStaff("BILLING");
    h.patients.notPatients.add(staff.userId);
    const res = await h.call(OVERBOOK, { input: { slotId: booked.slot.id, patientId: staff.userId, reason: "Urgent follow-up" } }, newStaff("ADMIN"));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.patientId" });
    expect(await h.prisma.appointment.count({ where: { slotId: booked.slot.id } })).toBe(1);
  });

  it("accounts down: SERVICE_UNAVAILABLE, nothing booked; patients booking for themselves do not need accounts", async () => {
    const doctor = await seedDoctor(h);
    const slot = await slotAt(h, doctor.id, "2026-03-04T12:00");
    h.patients.down = true;
    const res = await h.call(REQUEST, { input: { slotId: slot.id, patientId: randomUUID() } }, newStaff("RECEPTIONIST"));
    expect(codeOf(res)).toBe("SERVICE_UNAVAILABLE");
    expect(await h.prisma.appointment.count({ where: { slotId: slot.id } })).toBe(0);
    expect(codeOf(await h.call(REQUEST, { input: { slotId: slot.id } }, newPatient()))).toBe("OK");
  });
});

describe("a hold cannot be kept alive by rescheduling", () => {
  const reschedule = (id: string, slotId: string, patient: Caller) => h.call<{ rescheduleAppointment: BookingView }>(RESCHEDULE, { id, slotId }, patient);

  it("moving a PENDING request back and forth keeps the original deadline; it then expires", async () => {
    const held = await appointmentIn(h, "PENDING", { local: "2026-03-04T10:00" });
    const deadline = new Date(h.clock.now().getTime() + 15 * 60_000);
    expect(held.appointment.holdExpiresAt).toEqual(deadline);
    const elsewhere = await slotAt(h, held.doctor.id, "2026-03-05T10:00");
    for (const [minute, target] of [
      [5, elsewhere],
      [10, held.slot],
      [14, elsewhere],
    ] as const) {
      h.clock.set(new Date(deadline.getTime() - (15 - minute) * 60_000));
      const res = await reschedule(held.appointment.id, target.id, held.patient);
      expect(res.data?.rescheduleAppointment).toMatchObject({ __typename: "Appointment", status: "PENDING", startsAt: target.startsAt.toISOString() });
      expect((await appointmentRow(h, held.appointment.id)).holdExpiresAt).toEqual(deadline);
    }
    h.clock.set(deadline);
    expect(codeOf(await reschedule(held.appointment.id, held.slot.id, held.patient))).toBe("CONFLICT");
    expect(await expireHolds(h.deps)).toBeGreaterThanOrEqual(1);
    expect((await appointmentRow(h, held.appointment.id)).status).toBe("EXPIRED");
    expect((await slotById(h, elsewhere.id)).status).toBe("FREE");
  });

  it("moving a PENDING request to another doctor who approves by hand keeps the deadline too", async () => {
    const held = await appointmentIn(h, "PENDING", { local: "2026-03-04T10:00" });
    const deadline = held.appointment.holdExpiresAt!;
    const other = await seedDoctor(h, { autoApprove: false });
    h.clock.advanceMinutes(12);
    const res = await reschedule(held.appointment.id, (await slotAt(h, other.id, "2026-03-04T11:00")).id, held.patient);
    expect(res.data?.rescheduleAppointment).toMatchObject({ status: "PENDING", doctor: { id: other.id } });
    expect((await appointmentRow(h, held.appointment.id)).holdExpiresAt).toEqual(deadline);
  });

  it("a BOOKED appointment moved to a doctor who approves by hand is a new request, held from the move", async () => {
    const booked = await appointmentIn(h, "BOOKED", { local: "2026-03-04T10:00" });
    const other = await seedDoctor(h, { autoApprove: false });
    h.clock.advanceMinutes(30);
    const res = await reschedule(booked.appointment.id, (await slotAt(h, other.id, "2026-03-04T11:00")).id, booked.patient);
    expect(res.data?.rescheduleAppointment).toMatchObject({ status: "PENDING" });
    expect((await appointmentRow(h, booked.appointment.id)).holdExpiresAt).toEqual(new Date(h.clock.now().getTime() + 15 * 60_000));
  });
});
