/**
 * Reads of someone else's appointment are audited: each writes a `PatientRecordAccessed` event to the
 * outbox (accounts keeps it in the audit log). The patient's own reads are not; a calendar or an
 * `_entities` batch writes one event per patient in one statement.
 */
import { describe, expect, it } from "@jest/globals";
import { appointmentIn, newStaff, seedDoctor, LATER_THIS_WEEK, TODAY_AFTERNOON, at } from "./support/factories.js";
import { useHarness } from "./support/harness.js";
import { APPOINTMENT, ENTITIES } from "./support/operations.js";

const h = useHarness();

/** The access events written for `patientId`, oldest first. */
async function accessesOf(patientId: string) {
  const rows = await h.prisma.outboxEvent.findMany({ where: { type: "PatientRecordAccessed" }, orderBy: { sequence: "asc" } });
  return rows.map((r) => r.payload as Record<string, unknown>).filter((p) => p.patientId === patientId);
}

describe("auditing reads of appointments", () => {
  it("records staff reads by id, with who, role, request id and time; not the patient's own", async () => {
    const made = await appointmentIn(h, "BOOKED");
    const receptionist = newStaff("RECEPTIONIST");
    await h.call(APPOINTMENT, { id: made.appointment.id }, made.patient);
    expect(await accessesOf(made.patient.userId)).toEqual([]);

    const res = await h.call(APPOINTMENT, { id: made.appointment.id }, receptionist);
    expect(res.errors).toBeUndefined();
    const [access, ...more] = await accessesOf(made.patient.userId);
    expect(more).toEqual([]);
    expect(access).toMatchObject({ actorId: receptionist.userId, actorRole: "RECEPTIONIST", action: "APPOINTMENT_READ", at: h.clock.now().toISOString() });
    expect(typeof access!.requestId).toBe("string");
    expect(access!.accessId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records nothing when the read is refused", async () => {
    const made = await appointmentIn(h, "BOOKED");
    const examiner = newStaff("EXAMINER");
    const res = await h.call(APPOINTMENT, { id: made.appointment.id }, examiner);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await accessesOf(made.patient.userId)).toEqual([]);
  });

  it("records a doctor's calendar once per patient", async () => {
    const doctor = await seedDoctor(h);
    const first = await appointmentIn(h, "BOOKED", { doctor, local: TODAY_AFTERNOON });
    const second = await appointmentIn(h, "BOOKED", { doctor, local: LATER_THIS_WEEK });
    const again = await appointmentIn(h, "BOOKED", { doctor, patient: first.patient, local: "2026-03-05T10:00" });
    expect(again.patient.userId).toBe(first.patient.userId);
    const res = await h.call<{ calendar: { id: string }[] }>(
      `query($from: DateTime!, $to: DateTime!) { calendar(from: $from, to: $to) { id } }`,
      { from: at("2026-03-02T00:00").toISOString(), to: at("2026-03-08T00:00").toISOString() },
      doctor.caller,
    );
    expect(res.data?.calendar).toHaveLength(3);
    expect(await accessesOf(first.patient.userId)).toEqual([expect.objectContaining({ actorId: doctor.caller.userId, actorRole: "DOCTOR" })]);
    expect(await accessesOf(second.patient.userId)).toHaveLength(1);
  });

  it("records entity fetches (how the router resolves appointments for other subgraphs)", async () => {
    const a = await appointmentIn(h, "BOOKED");
    const b = await appointmentIn(h, "PENDING");
    const admin = newStaff("ADMIN");
    const res = await h.call(
      ENTITIES,
      {
        r: [
          { __typename: "Appointment", id: a.appointment.id },
          { __typename: "Appointment", id: b.appointment.id },
        ],
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(await accessesOf(a.patient.userId)).toEqual([expect.objectContaining({ actorId: admin.userId })]);
    expect(await accessesOf(b.patient.userId)).toEqual([expect.objectContaining({ actorId: admin.userId })]);
  });
});
