/**
 * DoctorScheduleChanged: every committed change to a doctor's bookable time writes
 * exactly one row to `doctors.outbox`, in the transaction of the change (the row and the change commit or roll back
 * together), and a refused change writes none. The relay publishes it on the doctors stream, where scheduling
 * regenerates the doctor's slots.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS, subscribe, type CatalogueEnvelope, type Consumer } from "@clinigraph/events";
import { settleWorkers } from "@clinigraph/testing";
import type { PrismaClient } from "../src/data/prisma.js";
import { createRepositories } from "../src/data/repositories.js";
import type { UnitOfWork } from "../src/domain/ports.js";
import { setWeeklySchedule } from "../src/domain/setWeeklySchedule.js";
import type { Actor } from "../src/domain/types.js";
import { insertDoctor } from "./support/factories.js";
import { ADMIN, codeOf, doctorCaller, PATIENT, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const CREATE = `mutation($input: CreateDoctorInput!) { createDoctor(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateDoctorInput!) { updateDoctor(id: $id, input: $input) { id } }`;
const SCHEDULE = `mutation($id: ID!, $rules: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $id, rules: $rules) { id } }`;
const TIME_OFF = `mutation($id: ID!, $from: DateTime!, $to: DateTime!) { addTimeOff(doctorId: $id, from: $from, to: $to) { id } }`;

const monday = [{ dayOfWeek: "MONDAY" as const, startTime: "09:00", endTime: "12:00", slotMinutes: 30 }];
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

interface OutboxRow {
  type: string;
  payload: unknown;
}

const outboxOf = (doctorId: string) =>
  h.prisma.$queryRaw<OutboxRow[]>`SELECT type, payload FROM doctors.outbox WHERE aggregate_id = ${doctorId}::uuid ORDER BY sequence`;
/** The rows the change wrote (at least one must exist). */
const writers = {
  rules: (doctorId: string) => h.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM doctors.schedule_rules WHERE doctor_id = ${doctorId}::uuid`,
  timeOff: (doctorId: string) => h.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM doctors.time_off WHERE doctor_id = ${doctorId}::uuid`,
  doctor: (doctorId: string) => h.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM doctors.doctors WHERE id = ${doctorId}::uuid`,
};

/**
 * Exactly one DoctorScheduleChanged for the doctor, beside the change. That both commit or roll back together is
 * shown by the rollback case below (the rows' transaction ids cannot show it: the relay rewrites the outbox row when
 * it publishes it).
 */
async function expectOneEventWrittenWith(doctorId: string, changed: unknown[], schedule: Record<string, unknown> = {}) {
  const rows = await outboxOf(doctorId);
  // The event carries the doctor's bookable time as the transaction left it.
  expect(rows).toEqual([
    {
      type: "DoctorScheduleChanged",
      payload: {
        doctorId,
        schedule: {
          timezone: expect.any(String),
          specialtyCode: expect.any(String),
          location: expect.anything(),
          rules: [],
          timeOff: [],
          active: true,
          ...schedule,
        },
      },
    },
  ]);
  expect(changed.length).toBeGreaterThan(0);
}

describe("DoctorScheduleChanged in the outbox", () => {
  it("setWeeklySchedule writes one, in the transaction that replaces the rules", async () => {
    const doctor = await insertDoctor(h.prisma);
    const res = await h.call(SCHEDULE, { id: doctor.id, rules: monday }, doctorCaller(doctor.userId));
    expect(res.errors).toBeUndefined();
    await expectOneEventWrittenWith(doctor.id, await writers.rules(doctor.id), { rules: monday });
  });

  it("addTimeOff writes one, in the transaction that adds the time off", async () => {
    const doctor = await insertDoctor(h.prisma);
    const [from, to] = [hours(24), hours(48)];
    const res = await h.call(TIME_OFF, { id: doctor.id, from, to }, ADMIN);
    expect(res.errors).toBeUndefined();
    await expectOneEventWrittenWith(doctor.id, await writers.timeOff(doctor.id), { timeOff: [{ from, to }] });
  });

  it("updateDoctor and createDoctor write one each, in the transaction of the doctor's row", async () => {
    const doctor = await insertDoctor(h.prisma);
    const updated = await h.call(UPDATE, { id: doctor.id, input: { autoApprove: false, serviceCodes: ["PROC_ECG"] } }, ADMIN);
    expect(updated.errors).toBeUndefined();
    await expectOneEventWrittenWith(doctor.id, await writers.doctor(doctor.id));

    const input = {
      email: `dr.${randomUUID().slice(0, 8)}@example.test`,
      password: "Long-enough-password-1",
      name: "Dr. New",
      specialtyCode: "GP",
      timezone: "UTC",
    };
    const created = await h.call(CREATE, { input }, ADMIN);
    expect(created.errors).toBeUndefined();
    const id: string = created.data.createDoctor.id;
    await expectOneEventWrittenWith(id, await writers.doctor(id), { timezone: "UTC", specialtyCode: "GP", location: null });
  });

  it("a refused change writes none", async () => {
    const doctor = await insertDoctor(h.prisma);
    const other = doctorCaller((await insertDoctor(h.prisma)).userId);
    const overlapping = [...monday, { dayOfWeek: "MONDAY", startTime: "11:00", endTime: "13:00", slotMinutes: 30 }];
    expect(codeOf(await h.call(SCHEDULE, { id: doctor.id, rules: monday }, other))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(SCHEDULE, { id: doctor.id, rules: monday }, PATIENT))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(SCHEDULE, { id: doctor.id, rules: overlapping }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(TIME_OFF, { id: doctor.id, from: hours(5), to: hours(4) }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { name: "Dr. Self-named" } }, doctorCaller(doctor.userId)))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { timezone: "Mars/Olympus" } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(await outboxOf(doctor.id)).toEqual([]);
  });

  it("rolls back with the change: a transaction that fails after writing the event leaves neither", async () => {
    const doctor = await insertDoctor(h.prisma);
    const repositories = createRepositories(h.prisma as unknown as PrismaClient, h.sql);
    const failsAtCommit: UnitOfWork = {
      run: (work) =>
        repositories.unitOfWork.run(async (tx) => {
          await work(tx);
          throw new Error("the transaction fails after the use case's writes");
        }),
    };
    const admin: Actor = { userId: randomUUID(), role: "ADMIN", requestId: randomUUID() };
    const deps = { ...repositories, unitOfWork: failsAtCommit, clock: () => new Date() };
    await expect(setWeeklySchedule(deps, admin, { doctorId: doctor.id, rules: monday })).rejects.toThrow("fails after");
    expect(await writers.rules(doctor.id)).toEqual([]);
    expect(await outboxOf(doctor.id)).toEqual([]);
  });
});

describe("the doctors relay", () => {
  let consumer: Consumer;
  const received: CatalogueEnvelope<"DoctorScheduleChanged">[] = [];
  beforeAll(() => {
    consumer = subscribe({
      bus: h.bus,
      group: "doctors-test",
      streams: [STREAMS.doctors],
      types: ["DoctorScheduleChanged"],
      handler: async (event) => void received.push(event),
    });
  });
  afterAll(async () => {
    await consumer?.stop();
  });

  it("publishes the event on the doctors stream, from clinigraph/doctors, keyed by the doctor", async () => {
    const doctor = await insertDoctor(h.prisma);
    expect((await h.call(SCHEDULE, { id: doctor.id, rules: monday }, ADMIN)).errors).toBeUndefined();
    await settleWorkers(() => [h.workers, { relays: [], consumers: [consumer] }]);
    const mine = received.filter((event) => event.subject === doctor.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ type: "DoctorScheduleChanged", source: "clinigraph/doctors", data: { doctorId: doctor.id } });
    expect(await h.prisma.outboxEvent.count({ where: { aggregateId: doctor.id, publishedAt: null } })).toBe(0);
  });
});
