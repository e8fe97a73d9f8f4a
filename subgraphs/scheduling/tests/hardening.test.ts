/**
 * Booking hardening without a database: how long a hold lasts across reschedules (domain/holds.ts),
 * and staff booking only for a user accounts knows as a patient — refused before any transaction starts
 * (the Prisma client here throws if it is touched at all).
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { DomainError, fieldCipherFromEnv, type Role, type SqlPool } from "@clinigraph/platform";
import { testEnv } from "@clinigraph/testing";
import { createSchedulingDeps } from "../src/index.js";
import { holdExpiry, pendingSince, type StatusChange } from "../src/domain/holds.js";
import { overbookAppointment } from "../src/domain/overbook.js";
import { requestAppointment } from "../src/domain/requestAppointment.js";
import type { Actor } from "../src/domain/types.js";
import { FakeDoctorsClient } from "./support/fakeDoctors.js";
import { FakePatientDirectory } from "./support/fakePatients.js";

const T0 = new Date("2026-03-02T08:00:00Z");
const minutes = (m: number, from = T0) => new Date(from.getTime() + m * 60_000);

describe("holdExpiry: the hold runs from the request, never past the start", () => {
  it("is holdMinutes after the request", () => {
    expect(holdExpiry(T0, minutes(24 * 60), 15)).toEqual(minutes(15));
  });
  it("ends at the start when the appointment starts sooner", () => {
    expect(holdExpiry(T0, minutes(10), 15)).toEqual(minutes(10));
  });
});

describe("pendingSince: when the current PENDING spell began", () => {
  const change = (at: number, fromStatus: StatusChange["fromStatus"], toStatus: StatusChange["toStatus"]): StatusChange => ({
    at: minutes(at),
    fromStatus,
    toStatus,
  });

  it("reschedules of a PENDING request (PENDING → PENDING) do not restart it", () => {
    const history = [change(0, null, "PENDING"), change(10, "PENDING", "PENDING"), change(14, "PENDING", "PENDING")];
    expect(pendingSince(history, minutes(-5))).toEqual(T0);
    // So the deadline after moving back and forth is still the original one.
    expect(holdExpiry(pendingSince(history, T0), minutes(3 * 24 * 60), 15)).toEqual(minutes(15));
  });

  it("a BOOKED appointment moved to a doctor who approves by hand starts a new request", () => {
    const history = [change(0, null, "BOOKED"), change(30, "BOOKED", "PENDING"), change(40, "PENDING", "PENDING")];
    expect(pendingSince(history, T0)).toEqual(minutes(30));
  });

  it("a waitlist offer is the request", () => {
    expect(pendingSince([change(7, null, "PENDING")], T0)).toEqual(minutes(7));
  });

  it("falls back to the creation time without history", () => {
    expect(pendingSince([], T0)).toEqual(T0);
  });
});

describe("staff name a patient accounts knows", () => {
  const untouchable = new Proxy(
    {},
    {
      get() {
        throw new Error("the database must not be touched");
      },
    },
  ) as SqlPool;
  const setup = () => {
    const patients = new FakePatientDirectory();
    const deps = createSchedulingDeps({
      pool: untouchable,
      rules: { holdMinutes: 15, minNoticeMinutes: 60, maxPerPatientDoctorDay: 1, horizonDays: 14, alternativesLimit: 5 },
      clock: () => T0,
      cipher: fieldCipherFromEnv(testEnv("postgres://unused"), { blindIndex: false }),
      patients,
      doctors: new FakeDoctorsClient(),
    });
    return { deps, patients };
  };
  const actor = (role: Role): Actor => ({ userId: randomUUID(), role, doctorId: null });
  const failure = async (work: Promise<unknown>) => {
    try {
      await work;
      return { code: "OK" };
    } catch (err) {
      return err instanceof DomainError ? { code: err.code, field: err.field, message: err.message } : { code: "THROWN", message: String(err) };
    }
  };

  it.each(["RECEPTIONIST", "ADMIN"] as const)("%s booking for an id that is not a patient (unknown, or a staff user's): BAD_USER_INPUT", async (role) => {
    const { deps, patients } = setup();
    const notAPatient = randomUUID();
    patients.notPatients.add(notAPatient);
    const caller = actor(role);
    const result = await failure(requestAppointment(deps, caller, { slotId: randomUUID(), patientId: notAPatient }, "req-1"));
    expect(result).toEqual({ code: "BAD_USER_INPUT", field: "input.patientId", message: "No such patient" });
    // Asked with the caller's own identity (accounts applies its rules and audit to them).
    expect(patients.asked).toEqual([{ caller: { userId: caller.userId, role, requestId: "req-1" }, patientId: notAPatient }]);
  });

  it("an overbooking for an id that is not a patient: BAD_USER_INPUT", async () => {
    const { deps, patients } = setup();
    const notAPatient = randomUUID();
    patients.notPatients.add(notAPatient);
    const result = await failure(overbookAppointment(deps, actor("ADMIN"), { slotId: randomUUID(), patientId: notAPatient, reason: "Urgent follow-up" }));
    expect(result).toMatchObject({ code: "BAD_USER_INPUT", field: "input.patientId" });
  });

  it("accounts down: SERVICE_UNAVAILABLE, nothing booked", async () => {
    const { deps, patients } = setup();
    patients.down = true;
    expect(await failure(requestAppointment(deps, actor("RECEPTIONIST"), { slotId: randomUUID(), patientId: randomUUID() }))).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
    });
  });

  it("a patient booking for themselves is not asked about", async () => {
    const { deps, patients } = setup();
    // Gets as far as the database (which this test forbids): the patient check did not stop it.
    expect((await failure(requestAppointment(deps, actor("PATIENT"), { slotId: randomUUID() }))).message).toMatch(/must not be touched/);
    expect(patients.asked).toEqual([]);
  });
});
