/** The row-level rule for patient profiles (ADR 0011): doctors only with a care relationship. Pure, with fakes. */
import { describe, expect, it, jest } from "@jest/globals";
import { createEnvelope } from "@clinigraph/events";
import { combineCareRelationshipSources } from "../src/data/schedulingClient.js";
import type { Identity, Role } from "@clinigraph/platform";
import { assertCanReadPatientProfile, canReadPatientProfile } from "../src/domain/policy.js";
import { careRelationshipFromEvent, findCareRelationships, type CareRelationshipDeps } from "../src/domain/careRelationships.js";
import type { CareRelationshipSource } from "../src/domain/ports.js";
import type { CareRelationship } from "../src/domain/types.js";

const PATIENT = { id: "10000000-0000-4000-8000-000000000001", role: "PATIENT" as Role };
const OTHER_PATIENT = "10000000-0000-4000-8000-000000000002";
const THIRD_PATIENT = "10000000-0000-4000-8000-000000000003";
const DOCTOR_USER = "20000000-0000-4000-8000-000000000001";
const who = (role: Role | null, userId: string | null = "30000000-0000-4000-8000-000000000009"): Identity => ({ userId, role, requestId: "req-1" });
const doctor = who("DOCTOR", DOCTOR_USER);

describe("canReadPatientProfile", () => {
  it.each<[string, Identity, boolean, boolean]>([
    ["the patient themselves", who("PATIENT", PATIENT.id), false, true],
    ["another patient", who("PATIENT"), false, false],
    ["another patient, whatever a care flag says", who("PATIENT"), true, false],
    ["a doctor without a care relationship", doctor, false, false],
    ["a doctor with a care relationship", doctor, true, true],
    ["reception", who("RECEPTIONIST"), false, true],
    ["billing", who("BILLING"), false, true],
    ["an examiner", who("EXAMINER"), false, true],
    ["an admin", who("ADMIN"), false, true],
    ["a stakeholder", who("STAKEHOLDER"), true, false],
    ["an anonymous caller", who(null, null), true, false],
  ])("%s", (_name, identity, cares, allowed) => {
    expect(canReadPatientProfile(identity, PATIENT, cares)).toBe(allowed);
  });
});

describe("assertCanReadPatientProfile", () => {
  it("asks about the care relationship only for doctors, and refuses a doctor without one", async () => {
    const none = jest.fn(async (_patientId: string) => false);
    await expect(assertCanReadPatientProfile(doctor, PATIENT, none)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(none).toHaveBeenCalledWith(PATIENT.id);

    const yes = jest.fn(async (_patientId: string) => true);
    await expect(assertCanReadPatientProfile(doctor, PATIENT, yes)).resolves.toBeUndefined();

    const unused = jest.fn(async (_patientId: string) => true);
    await expect(assertCanReadPatientProfile(who("RECEPTIONIST"), PATIENT, unused)).resolves.toBeUndefined();
    await expect(assertCanReadPatientProfile(who("PATIENT", PATIENT.id), PATIENT, unused)).resolves.toBeUndefined();
    await expect(assertCanReadPatientProfile(who("PATIENT"), PATIENT, unused)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(assertCanReadPatientProfile(who(null, null), PATIENT, unused)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(unused).not.toHaveBeenCalled();
  });

  it("a doctor reading their own record needs no care relationship (it is their own)", async () => {
    const self = { id: DOCTOR_USER, role: "DOCTOR" as Role };
    await expect(assertCanReadPatientProfile(doctor, self, async () => false)).resolves.toBeUndefined();
  });
});

const appointment = (overrides: Record<string, unknown> = {}) => ({
  appointmentId: "40000000-0000-4000-8000-000000000001",
  patientId: PATIENT.id,
  doctorId: "50000000-0000-4000-8000-000000000001",
  doctorUserId: DOCTOR_USER,
  serviceId: null,
  status: "PENDING",
  startsAt: "2027-03-22T08:00:00.000Z",
  endsAt: "2027-03-22T08:30:00.000Z",
  actorId: PATIENT.id,
  ...overrides,
});

describe("careRelationshipFromEvent", () => {
  it("every appointment event grants, whatever the status — also rejected and expired requests", () => {
    for (const [type, status] of [
      ["AppointmentRequested", "PENDING"],
      ["AppointmentBooked", "BOOKED"],
      ["AppointmentRejected", "REJECTED"],
      ["AppointmentExpired", "EXPIRED"],
      ["AppointmentCancelled", "CANCELLED"],
      ["AppointmentFulfilled", "FULFILLED"],
    ] as const) {
      const event = createEnvelope(type, appointment({ status }), { time: "2027-03-22T07:00:00.000Z" });
      expect(careRelationshipFromEvent(event)).toEqual({
        doctorUserId: DOCTOR_USER,
        patientId: PATIENT.id,
        since: new Date("2027-03-22T07:00:00.000Z"),
        source: "appointment",
      });
    }
  });

  it("ignores other events and appointment events written before doctorUserId existed", () => {
    expect(careRelationshipFromEvent(createEnvelope("DoctorScheduleChanged", { doctorId: "50000000-0000-4000-8000-000000000001" }))).toBeNull();
    const { doctorUserId: _omitted, ...old } = appointment();
    expect(careRelationshipFromEvent(createEnvelope("AppointmentRequested", old))).toBeNull();
  });
});

describe("care relationships from clinical", () => {
  it("an encounter registration (check-in or walk-in) grants", () => {
    const event = createEnvelope(
      "EncounterRegistered",
      {
        encounterId: "60000000-0000-4000-8000-000000000001",
        patientId: PATIENT.id,
        doctorId: "50000000-0000-4000-8000-000000000001",
        doctorUserId: DOCTOR_USER,
        appointmentId: null,
        status: "ARRIVED",
        actorId: null,
        pendingExaminations: 0,
      },
      { time: "2027-03-22T08:00:00.000Z" },
    );
    expect(careRelationshipFromEvent(event)).toEqual({
      doctorUserId: DOCTOR_USER,
      patientId: PATIENT.id,
      since: new Date("2027-03-22T08:00:00.000Z"),
      source: "encounter",
    });
  });

  it("asks the next source only about patients the previous did not confirm, and fails closed only when none answers", async () => {
    const doctor: Identity = { userId: DOCTOR_USER, role: "DOCTOR", requestId: "r1" };
    const asked: string[][] = [];
    const scheduling: CareRelationshipSource = { confirm: async (_d, ids) => (asked.push([...ids]), ids.filter((id) => id === "a")) };
    const clinical: CareRelationshipSource = { confirm: async (_d, ids) => (asked.push([...ids]), ids.filter((id) => id === "b")) };
    expect(await combineCareRelationshipSources([scheduling, clinical]).confirm(doctor, ["a", "b", "c"])).toEqual(["a", "b"]);
    expect(asked).toEqual([
      ["a", "b", "c"],
      ["b", "c"],
    ]);
    const down: CareRelationshipSource = { confirm: async () => Promise.reject(new Error("down")) };
    expect(await combineCareRelationshipSources([down, clinical]).confirm(doctor, ["b"])).toEqual(["b"]);
    await expect(combineCareRelationshipSources([down, down]).confirm(doctor, ["b"])).rejects.toThrow("down");
  });
});

function fakes(stored: CareRelationship[], scheduling: CareRelationshipSource) {
  const warn = jest.fn();
  const deps: CareRelationshipDeps = {
    careRelationships: {
      known: async (doctorUserId, ids) => new Set(stored.filter((r) => r.doctorUserId === doctorUserId && ids.includes(r.patientId)).map((r) => r.patientId)),
      record: async (rows) => void stored.push(...rows),
    },
    scheduling,
    logger: { warn } as unknown as CareRelationshipDeps["logger"],
    clock: () => new Date("2027-03-22T07:05:00.000Z"),
  };
  return { deps, warn, stored };
}

const row = (patientId: string): CareRelationship => ({ doctorUserId: DOCTOR_USER, patientId, since: new Date("2027-01-01T00:00:00Z"), source: "appointment" });

describe("findCareRelationships", () => {
  it("answers from the projection without asking scheduling when it knows every patient", async () => {
    const confirm = jest.fn(async () => [] as string[]);
    const { deps } = fakes([row(PATIENT.id)], { confirm });
    expect(await findCareRelationships(deps, doctor, [PATIENT.id, PATIENT.id])).toEqual(new Set([PATIENT.id]));
    expect(confirm).not.toHaveBeenCalled();
  });

  it("asks scheduling once, with the doctor's identity, for all misses; stores what it confirms and nothing it was not asked", async () => {
    const confirm = jest.fn(async (_doctor: Identity, _ids: readonly string[]) => [OTHER_PATIENT, "60000000-0000-4000-8000-000000000000"]);
    const { deps, stored } = fakes([row(PATIENT.id)], { confirm });
    const found = await findCareRelationships(deps, doctor, [PATIENT.id, OTHER_PATIENT, THIRD_PATIENT]);
    expect(found).toEqual(new Set([PATIENT.id, OTHER_PATIENT]));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm).toHaveBeenCalledWith(doctor, [OTHER_PATIENT, THIRD_PATIENT]);
    expect(stored.slice(1)).toEqual([
      { doctorUserId: DOCTOR_USER, patientId: OTHER_PATIENT, since: new Date("2027-03-22T07:05:00.000Z"), source: "appointment-check" },
    ]);
  });

  it("fails closed when scheduling cannot answer: the projection's answer stands, and it is logged", async () => {
    const { deps, warn, stored } = fakes([row(PATIENT.id)], {
      confirm: async () => {
        throw new Error("scheduling unreachable");
      },
    });
    expect(await findCareRelationships(deps, doctor, [PATIENT.id, OTHER_PATIENT])).toEqual(new Set([PATIENT.id]));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({ doctorUserId: DOCTOR_USER, patients: 1 });
    expect(stored).toHaveLength(1);
  });

  it("has nothing for callers who are not doctors, and ignores ids that are not uuids", async () => {
    const confirm = jest.fn(async () => [PATIENT.id]);
    const { deps } = fakes([row(PATIENT.id)], { confirm });
    expect(await findCareRelationships(deps, who("RECEPTIONIST", DOCTOR_USER), [PATIENT.id])).toEqual(new Set());
    expect(await findCareRelationships(deps, doctor, ["not-a-uuid"])).toEqual(new Set());
    expect(confirm).not.toHaveBeenCalled();
  });
});
