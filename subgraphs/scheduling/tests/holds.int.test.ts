/**
 * Pending requests are time-limited holds. Time is a fake clock passed into SchedulingDeps and moved by
 * the tests — nothing sleeps. The sweep (`expireHolds`) is called directly, as the job would.
 */
import { describe, expect, it } from "@jest/globals";
import { expireHolds } from "../src/index.js";
import { appointmentIn, appointmentRow, newPatient, outboxTypes, request, slotAt, slotById } from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { APPOINTMENT, APPROVE, CANCEL, REQUEST, RESCHEDULE, type AppointmentView, type BookingView } from "./support/operations.js";

const h = useHarness({ holdMinutes: 15 });

describe("a hold that runs out", () => {
  it("can still be approved a moment before it ends", async () => {
    const { appointment, doctor } = await appointmentIn(h, "PENDING");
    h.clock.advanceMinutes(14.9);
    const res = await h.call<{ approveAppointment: AppointmentView }>(APPROVE, { id: appointment.id }, doctor.caller);
    expect(res.data?.approveAppointment).toMatchObject({ status: "BOOKED", holdExpiresAt: null });
  });

  it("cannot be approved, or cancelled, once it has ended (CONFLICT: expired), even before the sweep", async () => {
    const { appointment, doctor, patient } = await appointmentIn(h, "PENDING");
    h.clock.advanceMinutes(15);
    const approve = await h.call(APPROVE, { id: appointment.id }, doctor.caller);
    expect(approve.errors?.[0]).toMatchObject({ message: expect.stringMatching(/expired/), extensions: { code: "CONFLICT" } });
    expect(codeOf(await h.call(CANCEL, { id: appointment.id }, patient))).toBe("CONFLICT");
    expect((await appointmentRow(h, appointment.id)).status).toBe("PENDING");
  });

  it("is marked EXPIRED by the sweep, which frees the slot, records history and the event", async () => {
    const { appointment, slot, patient } = await appointmentIn(h, "PENDING");
    const fresh = await appointmentIn(h, "PENDING", { local: "2026-03-05T10:00" });
    const booked = await appointmentIn(h, "BOOKED", { local: "2026-03-05T11:00" });
    h.clock.advanceMinutes(10);
    const later = await appointmentIn(h, "PENDING", { local: "2026-03-05T12:00" }); // its hold runs to 08:25
    h.clock.advanceMinutes(6);

    expect(await expireHolds(h.deps)).toBeGreaterThanOrEqual(2);
    expect((await appointmentRow(h, appointment.id)).status).toBe("EXPIRED");
    expect((await appointmentRow(h, fresh.appointment.id)).status).toBe("EXPIRED");
    expect((await appointmentRow(h, later.appointment.id)).status).toBe("PENDING");
    expect((await appointmentRow(h, booked.appointment.id)).status).toBe("BOOKED");
    expect((await slotById(h, slot.id)).status).toBe("FREE");
    expect((await slotById(h, later.slot.id)).status).toBe("BUSY");
    expect(await outboxTypes(h, appointment.id)).toEqual(["AppointmentRequested", "AppointmentExpired"]);

    const res = await h.call<{ appointment: AppointmentView }>(APPOINTMENT, { id: appointment.id }, patient);
    expect(res.data?.appointment).toMatchObject({ status: "EXPIRED", holdExpiresAt: null, allowedTransitions: [] });
    expect(res.data?.appointment.history.at(-1)).toMatchObject({
      action: "EXPIRE",
      fromStatus: "PENDING",
      toStatus: "EXPIRED",
      actorId: null,
      actorRole: null,
    });
    expect(await expireHolds(h.deps)).toBe(0); // nothing left to do; running twice is harmless
  });
});

describe("a slot behind an expired hold that was not swept yet", () => {
  it("is still taken before the hold ends", async () => {
    const { slot } = await appointmentIn(h, "PENDING");
    h.clock.advanceMinutes(14);
    const res = await h.call<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: slot.id } }, newPatient());
    expect(res.data?.requestAppointment.__typename).toBe("SlotUnavailable");
  });

  it("can be requested by someone else once the hold ended: the old request expires in the same transaction", async () => {
    const { appointment, slot } = await appointmentIn(h, "PENDING");
    h.clock.advanceMinutes(15);
    const other = newPatient();
    const res = await h.call<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: slot.id } }, other);
    expect(res.data?.requestAppointment).toMatchObject({ __typename: "Appointment", status: "PENDING", patient: { id: other.userId } });
    expect(await appointmentRow(h, appointment.id)).toMatchObject({ status: "EXPIRED", holdExpiresAt: null });
    expect(await outboxTypes(h, appointment.id)).toEqual(["AppointmentRequested", "AppointmentExpired"]);
    expect((await slotById(h, slot.id)).status).toBe("BUSY");
    expect(await h.prisma.appointment.count({ where: { slotId: slot.id, status: { in: ["PENDING", "BOOKED"] } } })).toBe(1);
  });

  it("can be the target of a reschedule", async () => {
    const held = await appointmentIn(h, "PENDING");
    const mover = await appointmentIn(h, "BOOKED", { doctor: held.doctor, local: "2026-03-05T10:00" });
    h.clock.advanceMinutes(20);
    const res = await h.call<{ rescheduleAppointment: BookingView }>(RESCHEDULE, { id: mover.appointment.id, slotId: held.slot.id }, mover.patient);
    expect(res.data?.rescheduleAppointment).toMatchObject({ __typename: "Appointment", status: "BOOKED", startsAt: held.slot.startsAt.toISOString() });
    expect((await appointmentRow(h, held.appointment.id)).status).toBe("EXPIRED");
    expect((await slotById(h, mover.slot.id)).status).toBe("FREE");
  });
});

describe("hold length", () => {
  it("never outlasts the start of the appointment", async () => {
    const { doctor } = await appointmentIn(h, "BOOKED");
    const slot = await slotAt(h, doctor.id, "2026-03-02T10:00"); // one hour ahead
    const rules = h.deps.rules;
    h.deps.rules = { ...rules, holdMinutes: 180 };
    try {
      const appointment = await request(h, newPatient(), slot.id);
      expect(appointment.holdExpiresAt).toEqual(slot.startsAt);
    } finally {
      h.deps.rules = rules;
    }
  });
});
