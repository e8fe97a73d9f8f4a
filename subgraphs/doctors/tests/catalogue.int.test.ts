/**
 * The catalogue edited by ADMIN, on the real subgraph and database: create, rename, retire and restore specialties and
 * medical services; codes unique under concurrent creates; one catalogue event in the outbox per change (none for a
 * change that changes nothing, or is refused); retiring a service takes it off every doctor's list (with
 * DoctorScheduleChanged for each) and leaves it readable by id; retired codes refused for doctors.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { insertDoctor } from "./support/factories.js";
import { ADMIN, codeOf, doctorCaller, PATIENT, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const SPECIALTY_FIELDS = "id code name status retiredAt";
const SERVICE_FIELDS = "id code name kind durationMinutes status retiredAt";
const CREATE_SPECIALTY = `mutation($input: CreateSpecialtyInput!) { createSpecialty(input: $input) { ${SPECIALTY_FIELDS} } }`;
const UPDATE_SPECIALTY = `mutation($id: ID!, $input: UpdateSpecialtyInput!) { updateSpecialty(id: $id, input: $input) { ${SPECIALTY_FIELDS} } }`;
const RETIRE_SPECIALTY = `mutation($id: ID!) { retireSpecialty(id: $id) { ${SPECIALTY_FIELDS} } }`;
const RESTORE_SPECIALTY = `mutation($id: ID!) { restoreSpecialty(id: $id) { ${SPECIALTY_FIELDS} } }`;
const CREATE_SERVICE = `mutation($input: CreateMedicalServiceInput!) { createMedicalService(input: $input) { ${SERVICE_FIELDS} } }`;
const UPDATE_SERVICE = `mutation($id: ID!, $input: UpdateMedicalServiceInput!) { updateMedicalService(id: $id, input: $input) { ${SERVICE_FIELDS} } }`;
const RETIRE_SERVICE = `mutation($id: ID!) { retireMedicalService(id: $id) { ${SERVICE_FIELDS} } }`;
const RESTORE_SERVICE = `mutation($id: ID!) { restoreMedicalService(id: $id) { ${SERVICE_FIELDS} } }`;
const UPDATE_DOCTOR = `mutation($id: ID!, $input: UpdateDoctorInput!) { updateDoctor(id: $id, input: $input) { id services { code } } }`;
const CREATE_DOCTOR = `mutation($input: CreateDoctorInput!) { createDoctor(input: $input) { id } }`;

/** A code no other test uses. */
const uniqueCode = (prefix = "T") => `${prefix}${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;

async function createService(overrides: Record<string, unknown> = {}) {
  const res = await h.call(CREATE_SERVICE, { input: { code: uniqueCode(), name: "Test scan", kind: "IMAGING", durationMinutes: 20, ...overrides } }, ADMIN);
  expect(res.errors).toBeUndefined();
  return res.data.createMedicalService as { id: string; code: string; name: string; status: string };
}

async function createSpecialty(name = "Test medicine") {
  const res = await h.call(CREATE_SPECIALTY, { input: { code: uniqueCode(), name } }, ADMIN);
  expect(res.errors).toBeUndefined();
  return res.data.createSpecialty as { id: string; code: string; name: string };
}

const outboxOf = (aggregateId: string) =>
  h.prisma.$queryRaw<{ type: string; payload: Record<string, unknown> }[]>`
    SELECT type, payload FROM doctors.outbox WHERE aggregate_id = ${aggregateId}::uuid ORDER BY sequence`;

describe("specialties", () => {
  it("ADMIN creates, renames, retires and restores one; lists show ACTIVE ones unless includeRetired", async () => {
    const specialty = await createSpecialty("Sleep medicine");
    expect(specialty).toMatchObject({ name: "Sleep medicine", status: "ACTIVE", retiredAt: null });

    const renamed = await h.call(UPDATE_SPECIALTY, { id: specialty.id, input: { name: "  Sleep & dream medicine " } }, ADMIN);
    expect(renamed.data.updateSpecialty).toMatchObject({ code: specialty.code, name: "Sleep & dream medicine", status: "ACTIVE" });

    const retired = await h.call(RETIRE_SPECIALTY, { id: specialty.id }, ADMIN);
    expect(retired.data.retireSpecialty).toMatchObject({ status: "RETIRED", retiredAt: expect.any(String) });
    const lists = await h.call(`{ active: specialties { code } all: specialties(includeRetired: true) { code status } }`);
    expect(lists.data.active.map((s: { code: string }) => s.code)).not.toContain(specialty.code);
    expect(lists.data.all).toContainEqual({ code: specialty.code, status: "RETIRED" });
    expect(lists.data.active.map((s: { code: string }) => s.code)).toEqual(expect.arrayContaining(["GP", "CARD"]));

    const restored = await h.call(RESTORE_SPECIALTY, { id: specialty.id }, ADMIN);
    expect(restored.data.restoreSpecialty).toMatchObject({ status: "ACTIVE", retiredAt: null });

    expect((await outboxOf(specialty.id)).map((row) => [row.type, row.payload.change, row.payload.status, row.payload.name])).toEqual([
      ["SpecialtyChanged", "CREATED", "ACTIVE", "Sleep medicine"],
      ["SpecialtyChanged", "UPDATED", "ACTIVE", "Sleep & dream medicine"],
      ["SpecialtyChanged", "RETIRED", "RETIRED", "Sleep & dream medicine"],
      ["SpecialtyChanged", "RESTORED", "ACTIVE", "Sleep & dream medicine"],
    ]);
  });

  it("is not retired while a doctor has it (CONFLICT); once the doctor has another, it is", async () => {
    const specialty = await createSpecialty();
    const doctor = await insertDoctor(h.prisma, { specialtyCode: specialty.code });
    const refused = await h.call(RETIRE_SPECIALTY, { id: specialty.id }, ADMIN);
    expect(codeOf(refused)).toBe("CONFLICT");
    expect(refused.errors?.[0]?.extensions).toMatchObject({ reason: "INVALID_STATE" });
    expect(await outboxOf(specialty.id)).toHaveLength(1); // CREATED only

    expect((await h.call(UPDATE_DOCTOR, { id: doctor.id, input: { specialtyCode: "GP" } }, ADMIN)).errors).toBeUndefined();
    expect((await h.call(RETIRE_SPECIALTY, { id: specialty.id }, ADMIN)).data.retireSpecialty.status).toBe("RETIRED");
    // A doctor is no longer given it.
    const back = await h.call(UPDATE_DOCTOR, { id: doctor.id, input: { specialtyCode: specialty.code } }, ADMIN);
    expect(codeOf(back)).toBe("BAD_USER_INPUT");
    expect(back.errors?.[0]?.extensions?.field).toBe("input.specialtyCode");
  });

  it("refuses bad codes and names, taken codes, unknown ids and non-admins", async () => {
    for (const code of ["c", "card", "TOO_LONG_CODE_12345", "A-B", "É1"]) {
      expect(codeOf(await h.call(CREATE_SPECIALTY, { input: { code, name: "X" } }, ADMIN))).toBe("BAD_USER_INPUT");
    }
    expect(codeOf(await h.call(CREATE_SPECIALTY, { input: { code: uniqueCode(), name: "two\nlines" } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(CREATE_SPECIALTY, { input: { code: uniqueCode(), name: "   " } }, ADMIN))).toBe("BAD_USER_INPUT");
    const taken = await h.call(CREATE_SPECIALTY, { input: { code: "CARD", name: "Cardiology again" } }, ADMIN);
    expect(codeOf(taken)).toBe("CONFLICT");
    expect(taken.errors?.[0]?.extensions).toMatchObject({ reason: "ALREADY_EXISTS", field: "input.code" });
    expect(codeOf(await h.call(RETIRE_SPECIALTY, { id: randomUUID() }, ADMIN))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(RETIRE_SPECIALTY, { id: "not-a-uuid" }, ADMIN))).toBe("NOT_FOUND");
    const doctor = await insertDoctor(h.prisma);
    for (const caller of [PATIENT, doctorCaller(doctor.userId)]) {
      expect(codeOf(await h.call(CREATE_SPECIALTY, { input: { code: uniqueCode(), name: "X" } }, caller))).toBe("FORBIDDEN");
    }
    expect(codeOf(await h.call(CREATE_SPECIALTY, { input: { code: uniqueCode(), name: "X" } }))).toBe("UNAUTHENTICATED");
  });
});

describe("medical services", () => {
  it("ADMIN creates and changes one; an update that changes nothing writes no event", async () => {
    const service = await createService({ name: "Bone density scan", kind: "IMAGING", durationMinutes: 25 });
    expect(service).toMatchObject({ name: "Bone density scan", status: "ACTIVE" });
    const updated = await h.call(UPDATE_SERVICE, { id: service.id, input: { name: "DEXA scan", durationMinutes: 30, kind: "PROCEDURE" } }, ADMIN);
    expect(updated.data.updateMedicalService).toMatchObject({ code: service.code, name: "DEXA scan", durationMinutes: 30, kind: "PROCEDURE" });
    expect((await h.call(UPDATE_SERVICE, { id: service.id, input: { name: "DEXA scan" } }, ADMIN)).errors).toBeUndefined();
    expect((await h.call(UPDATE_SERVICE, { id: service.id, input: {} }, ADMIN)).errors).toBeUndefined();

    const events = await outboxOf(service.id);
    expect(events).toEqual([
      { type: "MedicalServiceChanged", payload: expect.objectContaining({ change: "CREATED", name: "Bone density scan", durationMinutes: 25 }) },
      {
        type: "MedicalServiceChanged",
        payload: {
          serviceId: service.id,
          code: service.code,
          name: "DEXA scan",
          kind: "PROCEDURE",
          durationMinutes: 30,
          status: "ACTIVE",
          change: "UPDATED",
          actorId: (ADMIN as { userId: string }).userId,
        },
      },
    ]);
  });

  it("refuses bad durations, kinds and names (BAD_USER_INPUT) and null for a field", async () => {
    for (const durationMinutes of [0, 4, 7, 485, 1000, -5]) {
      const res = await h.call(CREATE_SERVICE, { input: { code: uniqueCode(), name: "X", kind: "LAB_TEST", durationMinutes } }, ADMIN);
      expect(codeOf(res)).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.extensions?.field).toBe("input.durationMinutes");
    }
    const service = await createService();
    expect(codeOf(await h.call(UPDATE_SERVICE, { id: service.id, input: { name: null } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE_SERVICE, { id: service.id, input: { durationMinutes: 13 } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE_SERVICE, { id: service.id, input: { name: "a\u202Eb" } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE_SERVICE, { id: randomUUID(), input: { name: "Y" } }, ADMIN))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(RETIRE_SERVICE, { id: service.id }, PATIENT))).toBe("FORBIDDEN");
    expect(await outboxOf(service.id)).toHaveLength(1);
  });

  it("keeps codes unique under concurrent creates: one wins, the others get CONFLICT, one event", async () => {
    const code = uniqueCode("C");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.call(CREATE_SERVICE, { input: { code, name: `Race ${i}`, kind: "LAB_TEST", durationMinutes: 10 } }, ADMIN)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === "CONFLICT")).toHaveLength(5);
    const rows = await h.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM doctors.outbox WHERE type = 'MedicalServiceChanged' AND payload->>'code' = ${code}`;
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it("retiring takes it off every doctor's list (DoctorScheduleChanged each) and keeps it readable by id", async () => {
    const service = await createService({ name: "Holter monitoring", kind: "PROCEDURE" });
    const offering = [await insertDoctor(h.prisma), await insertDoctor(h.prisma)];
    for (const doctor of offering) {
      const res = await h.call(UPDATE_DOCTOR, { id: doctor.id, input: { serviceCodes: [service.code, "PROC_ECG"] } }, ADMIN);
      expect(res.data.updateDoctor.services.map((s: { code: string }) => s.code).sort()).toEqual([service.code, "PROC_ECG"].sort());
    }
    const bystander = await insertDoctor(h.prisma, { serviceCodes: ["PROC_ECG"] });
    const before = await Promise.all([...offering, bystander].map((d) => outboxOf(d.id)));

    const retired = await h.call(RETIRE_SERVICE, { id: service.id }, ADMIN);
    expect(retired.data.retireMedicalService).toMatchObject({ status: "RETIRED", retiredAt: expect.any(String), name: "Holter monitoring" });

    for (const [i, doctor] of offering.entries()) {
      const res = await h.call(`query($id: ID!) { doctor(id: $id) { services { code } } }`, { id: doctor.id });
      expect(res.data.doctor.services).toEqual([{ code: "PROC_ECG" }]);
      const after = await outboxOf(doctor.id);
      expect(after.slice(before[i]!.length).map((row) => row.type)).toEqual(["DoctorScheduleChanged"]);
    }
    expect(await outboxOf(bystander.id)).toHaveLength(before[2]!.length);
    const search = await h.call(`query($s: ID) { doctors(filter: { serviceId: $s }) { edges { node { id } } } }`, { s: service.id });
    expect(search.data.doctors.edges).toEqual([]);

    // Readable by id (history refers to it), left out of the default list.
    const byId = await h.call(`query($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { code name status } } }`, {
      r: [{ __typename: "MedicalService", id: service.id }],
    });
    expect(byId.data._entities).toEqual([{ code: service.code, name: "Holter monitoring", status: "RETIRED" }]);
    const lists = await h.call(`{ active: medicalServices(kind: PROCEDURE) { code } all: medicalServices(kind: PROCEDURE, includeRetired: true) { code } }`);
    expect(lists.data.active.map((s: { code: string }) => s.code)).not.toContain(service.code);
    expect(lists.data.all.map((s: { code: string }) => s.code)).toContain(service.code);

    // Retiring again changes nothing; doctors are no longer given it, by update or create.
    expect((await h.call(RETIRE_SERVICE, { id: service.id }, ADMIN)).data.retireMedicalService.status).toBe("RETIRED");
    expect((await outboxOf(service.id)).map((row) => row.payload.change)).toEqual(["CREATED", "RETIRED"]);
    const update = await h.call(UPDATE_DOCTOR, { id: bystander.id, input: { serviceCodes: [service.code] } }, ADMIN);
    expect(codeOf(update)).toBe("BAD_USER_INPUT");
    expect(update.errors?.[0]?.extensions?.field).toBe("input.serviceCodes");
    const create = await h.call(
      CREATE_DOCTOR,
      {
        input: {
          email: `dr.${randomUUID().slice(0, 8)}@example.test`,
          password: "Long-enough-password-1",
          name: "Dr. Retired Service",
          specialtyCode: "GP",
          timezone: "UTC",
          serviceCodes: [service.code],
        },
      },
      ADMIN,
    );
    expect(codeOf(create)).toBe("BAD_USER_INPUT");

    // Restored, it can be given again (doctors who had it do not get it back by themselves).
    expect((await h.call(RESTORE_SERVICE, { id: service.id }, ADMIN)).data.restoreMedicalService).toMatchObject({ status: "ACTIVE", retiredAt: null });
    expect((await h.call(UPDATE_DOCTOR, { id: bystander.id, input: { serviceCodes: [service.code] } }, ADMIN)).errors).toBeUndefined();
  });

  it("a retirement racing doctors being given the service leaves no doctor with a retired service", async () => {
    const service = await createService();
    const doctors = await Promise.all(Array.from({ length: 4 }, () => insertDoctor(h.prisma)));
    const results = await Promise.all([
      ...doctors.map((d) => h.call(UPDATE_DOCTOR, { id: d.id, input: { serviceCodes: [service.code] } }, ADMIN)),
      h.call(RETIRE_SERVICE, { id: service.id }, ADMIN),
    ]);
    expect(results.at(-1)!.errors).toBeUndefined();
    for (const res of results.slice(0, -1)) expect([undefined, "BAD_USER_INPUT"]).toContain(codeOf(res));
    const left = await h.prisma.doctorService.count({ where: { serviceId: service.id } });
    expect(left).toBe(0);
  });
});
