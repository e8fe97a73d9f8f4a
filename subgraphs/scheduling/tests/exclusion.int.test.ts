/**
 * The exclusion constraint as the last line against double booking, recognised by its SQLSTATE (23P01) and name:
 * taking a time another live appointment of the doctor holds, or moving an appointment onto it, rolls back to a
 * savepoint and the transaction goes on.
 */
import { describe, expect, it } from "@jest/globals";
import { appointmentIn, newPatient, slotAt, LATER_THIS_WEEK } from "./support/factories.js";
import { useHarness } from "./support/harness.js";

const h = useHarness();

describe("the exclusion constraint", () => {
  it("a second live appointment over the same time: take answers null and the transaction goes on", async () => {
    const { appointment, doctor, slot } = await appointmentIn(h, "BOOKED");
    const outcome = await h.deps.unitOfWork.run(async (tx) => {
      const { doctorId, serviceId, startsAt, endsAt } = appointment;
      const taken = await tx.slots.take(
        {
          patientId: newPatient().userId,
          doctorId,
          serviceId,
          slotId: slot.id,
          startsAt,
          endsAt,
          status: "BOOKED",
          reason: null,
          holdExpiresAt: null,
          overbooked: false,
        },
        h.clock.now(),
      );
      return { taken, stillUsable: (await tx.slots.lock(slot.id))?.status };
    });
    expect(outcome).toEqual({ taken: null, stillUsable: "BUSY" });
    expect(await h.prisma.appointment.count({ where: { doctorId: doctor.id } })).toBe(1);
  });

  it("moving an appointment onto a time another live appointment holds: OVERLAP, nothing moved", async () => {
    const first = await appointmentIn(h, "BOOKED", { local: LATER_THIS_WEEK });
    const second = await appointmentIn(h, "BOOKED", { doctor: first.doctor, local: "2026-03-04T11:00" });
    const target = await slotAt(h, first.doctor.id, LATER_THIS_WEEK);
    const move = await h.deps.unitOfWork.run((tx) =>
      tx.appointments.move(second.appointment.id, ["BOOKED"], { slotId: target.id, startsAt: target.startsAt, endsAt: target.endsAt }, h.clock.now()),
    );
    expect(move).toEqual({ kind: "OVERLAP" });
    expect((await h.prisma.appointment.findUniqueOrThrow({ where: { id: second.appointment.id } })).startsAt).toEqual(second.appointment.startsAt);
  });
});
