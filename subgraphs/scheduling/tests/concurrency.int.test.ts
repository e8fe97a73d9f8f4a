/**
 * Racing writers and atomic moves: concurrent decisions on one appointment serialise (one compare-and-set
 * wins, the other gets CONFLICT, never a 5xx); two reschedules into one slot — exactly one gets it; a
 * reschedule takes the new slot and frees the old one in one transaction, with history and event.
 */
import { describe, expect, it } from "@jest/globals";
import type { GraphQLResponse, TestCaller } from "@clinigraph/testing";
import { appointmentIn, appointmentRow, historyActions, outboxTypes, seedDoctor, slotAt, slotById, type MadeAppointment } from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { APPROVE, CANCEL, REJECT, RESCHEDULE, type AppointmentView, type BookingView } from "./support/operations.js";

const h = useHarness();

const ROUNDS = 12;

/** No transport failure, no internal error: only success or a typed domain refusal. */
function expectClean(res: GraphQLResponse<unknown>) {
  expect(res.status).toBe(200);
  expect(["OK", "CONFLICT"]).toContain(codeOf(res));
}

/** The slot is BUSY exactly when a live appointment holds it. */
async function expectSlotConsistent(slotId: string) {
  const live = await h.prisma.appointment.count({ where: { slotId, status: { in: ["PENDING", "BOOKED", "CHECKED_IN"] } } });
  expect((await slotById(h, slotId)).status).toBe(live > 0 ? "BUSY" : "FREE");
}

type Decision = { query: string; who: (m: MadeAppointment) => TestCaller; action: string; status: string };
const APPROVE_D: Decision = { query: APPROVE, who: (m) => m.doctor.caller, action: "APPROVE", status: "BOOKED" };
const REJECT_D: Decision = { query: REJECT, who: (m) => m.doctor.caller, action: "REJECT", status: "REJECTED" };
const CANCEL_D: Decision = { query: CANCEL, who: (m) => m.patient, action: "CANCEL", status: "CANCELLED" };

/** Runs `a` and `b` at once on a fresh PENDING appointment, ROUNDS times (all rounds at once, too). */
async function race(a: Decision, b: Decision) {
  const made = await Promise.all(Array.from({ length: ROUNDS }, () => appointmentIn(h, "PENDING")));
  return Promise.all(
    made.map(async (m) => {
      const [ra, rb] = await Promise.all([a, b].map((d) => h.call(d.query, { id: m.appointment.id }, d.who(m))));
      expectClean(ra!);
      expectClean(rb!);
      const row = await appointmentRow(h, m.appointment.id);
      await expectSlotConsistent(m.slot.id);
      return { m, a: codeOf(ra!), b: codeOf(rb!), status: row.status, history: await historyActions(h, m.appointment.id) };
    }),
  );
}

describe("decisions racing on one pending request", () => {
  it("approve vs reject: exactly one wins, and the slot follows the winner", async () => {
    for (const round of await race(APPROVE_D, REJECT_D)) {
      expect([round.a, round.b].sort()).toEqual(["CONFLICT", "OK"]);
      const winner = round.a === "OK" ? APPROVE_D : REJECT_D;
      expect(round.status).toBe(winner.status);
      expect(round.history).toEqual(["REQUEST", winner.action]);
      expect((await slotById(h, round.m.slot.id)).status).toBe(winner === APPROVE_D ? "BUSY" : "FREE");
    }
  });

  it("reject vs cancel: exactly one wins", async () => {
    for (const round of await race(REJECT_D, CANCEL_D)) {
      expect([round.a, round.b].sort()).toEqual(["CONFLICT", "OK"]);
      const winner = round.a === "OK" ? REJECT_D : CANCEL_D;
      expect(round.status).toBe(winner.status);
      expect(round.history).toEqual(["REQUEST", winner.action]);
      expect((await slotById(h, round.m.slot.id)).status).toBe("FREE");
    }
  });

  it("approve vs cancel: they serialise — an approval never lands on a cancelled request, the cancel always stands", async () => {
    // Cancelling a BOOKED appointment is allowed, so "approve, then cancel" is a valid order where both succeed;
    // "cancel, then approve" must refuse the approval. Either way the appointment ends CANCELLED and the slot FREE.
    for (const round of await race(APPROVE_D, CANCEL_D)) {
      expect(round.b).toBe("OK");
      expect(round.status).toBe("CANCELLED");
      expect(round.history).toEqual(round.a === "OK" ? ["REQUEST", "APPROVE", "CANCEL"] : ["REQUEST", "CANCEL"]);
      expect(await outboxTypes(h, round.m.appointment.id)).toEqual(
        round.a === "OK" ? ["AppointmentRequested", "AppointmentBooked", "AppointmentCancelled"] : ["AppointmentRequested", "AppointmentCancelled"],
      );
      expect((await slotById(h, round.m.slot.id)).status).toBe("FREE");
    }
  });
});

describe("rescheduling", () => {
  it("two appointments moving into one slot at once: exactly one gets it, the other keeps its old slot", async () => {
    await Promise.all(
      Array.from({ length: ROUNDS }, async () => {
        const doctor = await seedDoctor(h);
        const a = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T09:00" });
        const b = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T09:30" });
        const target = await slotAt(h, doctor.id, "2026-03-05T10:00");
        const [ra, rb] = await Promise.all(
          [a, b].map((m) => h.call<{ rescheduleAppointment: BookingView }>(RESCHEDULE, { id: m.appointment.id, slotId: target.id }, m.patient)),
        );
        expect(ra!.errors).toBeUndefined();
        expect(rb!.errors).toBeUndefined();
        const kinds = [ra!, rb!].map((r) => r.data?.rescheduleAppointment.__typename);
        expect([...kinds].sort()).toEqual(["Appointment", "SlotUnavailable"]);
        const [winner, loser] = kinds[0] === "Appointment" ? [a, b] : [b, a];
        expect(await appointmentRow(h, winner.appointment.id)).toMatchObject({ slotId: target.id, startsAt: target.startsAt, status: "BOOKED" });
        expect(await appointmentRow(h, loser.appointment.id)).toMatchObject({ slotId: loser.slot.id, startsAt: loser.slot.startsAt, status: "BOOKED" });
        expect(await historyActions(h, loser.appointment.id)).toEqual(["REQUEST", "APPROVE"]);
        expect((await slotById(h, target.id)).status).toBe("BUSY");
        expect((await slotById(h, loser.slot.id)).status).toBe("BUSY");
        expect((await slotById(h, winner.slot.id)).status).toBe("FREE");
      }),
    );
  });

  it("is atomic: the new slot BUSY, the old FREE, a history row from → to, the event with the previous time", async () => {
    const made = await appointmentIn(h, "BOOKED");
    const target = await slotAt(h, made.doctor.id, "2026-03-06T15:00");
    const res = await h.call<{ rescheduleAppointment: AppointmentView }>(RESCHEDULE, { id: made.appointment.id, slotId: target.id }, made.patient);
    expect(res.data?.rescheduleAppointment).toMatchObject({ id: made.appointment.id, status: "BOOKED", startsAt: target.startsAt.toISOString() });
    expect(res.data?.rescheduleAppointment.history.at(-1)).toMatchObject({
      action: "RESCHEDULE",
      actorRole: "PATIENT",
      fromStatus: "BOOKED",
      toStatus: "BOOKED",
      fromStartsAt: made.slot.startsAt.toISOString(),
      toStartsAt: target.startsAt.toISOString(),
    });
    expect((await slotById(h, target.id)).status).toBe("BUSY");
    expect((await slotById(h, made.slot.id)).status).toBe("FREE");
    const event = await h.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: made.appointment.id, type: "AppointmentRescheduled" } });
    expect(event.payload).toMatchObject({ startsAt: target.startsAt.toISOString(), previousStartsAt: made.slot.startsAt.toISOString() });
  });

  it("into a taken slot answers SlotUnavailable and changes nothing", async () => {
    const mover = await appointmentIn(h, "BOOKED");
    const taken = await appointmentIn(h, "PENDING", { doctor: mover.doctor, local: "2026-03-05T10:00" });
    const before = { history: await historyActions(h, mover.appointment.id), outbox: await outboxTypes(h, mover.appointment.id) };
    const res = await h.call<{ rescheduleAppointment: BookingView }>(RESCHEDULE, { id: mover.appointment.id, slotId: taken.slot.id }, mover.patient);
    expect(res.data?.rescheduleAppointment).toMatchObject({ __typename: "SlotUnavailable", alternatives: expect.arrayContaining([]) });
    expect(await appointmentRow(h, mover.appointment.id)).toMatchObject({ slotId: mover.slot.id, status: "BOOKED" });
    expect((await slotById(h, mover.slot.id)).status).toBe("BUSY");
    expect({ history: await historyActions(h, mover.appointment.id), outbox: await outboxTypes(h, mover.appointment.id) }).toEqual(before);
  });

  it("to another doctor follows that doctor's approval mode", async () => {
    const made = await appointmentIn(h, "BOOKED");
    const manual = await seedDoctor(h, { autoApprove: false });
    const auto = await seedDoctor(h, { autoApprove: true });
    const manualSlot = await slotAt(h, manual.id, "2026-03-05T10:00");
    const toManual = await h.call<{ rescheduleAppointment: AppointmentView }>(RESCHEDULE, { id: made.appointment.id, slotId: manualSlot.id }, made.patient);
    expect(toManual.data?.rescheduleAppointment).toMatchObject({ status: "PENDING", holdExpiresAt: "2026-03-02T08:15:00.000Z", doctor: { id: manual.id } });
    const toAuto = await h.call<{ rescheduleAppointment: AppointmentView }>(
      RESCHEDULE,
      { id: made.appointment.id, slotId: (await slotAt(h, auto.id, "2026-03-05T10:00")).id },
      made.patient,
    );
    expect(toAuto.data?.rescheduleAppointment).toMatchObject({ status: "BOOKED", holdExpiresAt: null, doctor: { id: auto.id } });
    for (const slotId of [made.slot.id, manualSlot.id]) expect((await slotById(h, slotId)).status).toBe("FREE");
  });

  it("within the same day: the appointment itself does not count against the patient's daily limit", async () => {
    const made = await appointmentIn(h, "BOOKED");
    const target = await slotAt(h, made.doctor.id, "2026-03-04T16:00");
    const res = await h.call<{ rescheduleAppointment: BookingView }>(RESCHEDULE, { id: made.appointment.id, slotId: target.id }, made.patient);
    expect(res.data?.rescheduleAppointment).toMatchObject({ __typename: "Appointment", startsAt: target.startsAt.toISOString() });
  });

  it("to the slot it already has is a CONFLICT", async () => {
    const made = await appointmentIn(h, "BOOKED");
    expect(codeOf(await h.call(RESCHEDULE, { id: made.appointment.id, slotId: made.slot.id }, made.patient))).toBe("CONFLICT");
  });

  it("keeps a waiting patient's request at the new time (still PENDING, the original request's deadline)", async () => {
    const made = await appointmentIn(h, "PENDING");
    h.clock.advanceMinutes(10);
    const target = await slotAt(h, made.doctor.id, "2026-03-05T10:00");
    const res = await h.call<{ rescheduleAppointment: AppointmentView }>(RESCHEDULE, { id: made.appointment.id, slotId: target.id }, made.patient);
    expect(res.data?.rescheduleAppointment).toMatchObject({ status: "PENDING", holdExpiresAt: "2026-03-02T08:15:00.000Z" });
    expect((await slotById(h, made.slot.id)).status).toBe("FREE");
  });
});
