/**
 * Schedule templates over HTTP on a real database: CRUD and who may do it, previews (slots in each doctor's time zone,
 * conflicts from scheduling's calendar), applying from a date (all doctors or none; ScheduleTemplateApplied and
 * DoctorScheduleChanged with the upcoming rules written once per doctor), setWeeklySchedule beside upcoming versions,
 * and extra hours.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import type { PrismaClient } from "../src/data/prisma.js";
import { createRepositories } from "../src/data/repositories.js";
import { applyScheduleTemplate } from "../src/domain/applyScheduleTemplate.js";
import type { UnitOfWork } from "../src/domain/ports.js";
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

const RECEPTION = { userId: randomUUID(), role: "RECEPTIONIST" as const };
const RULE_FIELDS = "dayOfWeek startTime endTime slotMinutes";
const TEMPLATE_FIELDS = `id name slotMinutes rules { ${RULE_FIELDS} } breaks { dayOfWeek startTime endTime } effectiveRules { ${RULE_FIELDS} }`;
const CREATE = `mutation($input: ScheduleTemplateInput!) { createScheduleTemplate(input: $input) { ${TEMPLATE_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: ScheduleTemplateInput!) { updateScheduleTemplate(id: $id, input: $input) { ${TEMPLATE_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteScheduleTemplate(id: $id) }`;
const LIST = `{ scheduleTemplates { id name } }`;
const ONE = `query($id: ID!) { scheduleTemplate(id: $id) { id name } }`;
const APPLY = `mutation($t: ID!, $d: [ID!]!, $from: Date!) { applyScheduleTemplate(templateId: $t, doctorIds: $d, from: $from) { id } }`;
const PREVIEW = `query($t: ID!, $d: [ID!]!, $from: Date!, $days: Int) { previewScheduleTemplate(templateId: $t, doctorIds: $d, from: $from, days: $days) {
  doctor { id } timezone slots { startsAt endsAt } conflicts { appointmentId startsAt endsAt status } } }`;
const DOCTOR = `query($id: ID!) { doctor(id: $id) { weeklySchedule { ${RULE_FIELDS} } upcomingSchedules { from rules { ${RULE_FIELDS} } } extraHours { from to slotMinutes } } }`;
const SCHEDULE = `mutation($id: ID!, $rules: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $id, rules: $rules) { id } }`;
const EXTRA = `mutation($id: ID!, $from: DateTime!, $to: DateTime!, $m: Int!) { addExtraHours(doctorId: $id, from: $from, to: $to, slotMinutes: $m) { from to slotMinutes doctor { id } } }`;

const tuesdays = (name = `Tuesdays ${randomUUID().slice(0, 8)}`) => ({
  name,
  rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", slotCount: 10, slotMinutes: 30 }],
});
const TUESDAY_RULE = { dayOfWeek: "TUESDAY", startTime: "09:00", endTime: "14:00", slotMinutes: 30 };
const MONDAY_RULE = { dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 };

/** A Monday at least two weeks ahead in `zone`. */
const mondayAhead = (zone: string) => DateTime.now().setZone(zone).plus({ weeks: 2 }).startOf("week").toISODate()!;

async function createTemplate(input = tuesdays()): Promise<string> {
  const res = await h.call(CREATE, { input }, ADMIN);
  expect(res.errors).toBeUndefined();
  return res.data.createScheduleTemplate.id;
}

const outboxOf = (doctorId: string) =>
  h.prisma.$queryRaw<
    { type: string; payload: Record<string, unknown> }[]
  >`SELECT type, payload FROM doctors.outbox WHERE aggregate_id = ${doctorId}::uuid ORDER BY sequence`;

describe("templates: create, read, update, delete", () => {
  it('ADMIN creates "Tuesdays: 10 slots of 30 minutes"; reception reads it; names are unique whatever their case', async () => {
    const input = tuesdays();
    const res = await h.call(CREATE, { input }, ADMIN);
    expect(res.errors).toBeUndefined();
    const template = res.data.createScheduleTemplate;
    expect(template).toMatchObject({ name: input.name, rules: [TUESDAY_RULE], effectiveRules: [TUESDAY_RULE], breaks: [] });

    expect((await h.call(ONE, { id: template.id }, RECEPTION)).data.scheduleTemplate).toEqual({ id: template.id, name: input.name });
    expect((await h.call(LIST, {}, RECEPTION)).data.scheduleTemplates).toContainEqual({ id: template.id, name: input.name });

    const duplicate = await h.call(CREATE, { input: { ...input, name: input.name.toUpperCase() } }, ADMIN);
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "ALREADY_EXISTS", field: "input.name" });
  });

  it("refuses everyone but ADMIN to write, and everyone but ADMIN and reception to read", async () => {
    const id = await createTemplate();
    const doctor = doctorCaller(randomUUID());
    for (const caller of [doctor, PATIENT, RECEPTION]) expect(codeOf(await h.call(CREATE, { input: tuesdays() }, caller))).toBe("FORBIDDEN");
    for (const caller of [doctor, PATIENT]) expect(codeOf(await h.call(LIST, {}, caller))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(LIST, {}, "anonymous"))).toBe("UNAUTHENTICATED");
    expect(codeOf(await h.call(DELETE, { id }, RECEPTION))).toBe("FORBIDDEN");
  });

  it("updates (breaks cut out; a taken name is a CONFLICT) and deletes (then NOT_FOUND)", async () => {
    const id = await createTemplate();
    const other = tuesdays();
    await createTemplate(other);
    const input = { ...tuesdays(), breaks: [{ startTime: "11:00", endTime: "12:00" }] };
    const updated = await h.call(UPDATE, { id, input }, ADMIN);
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateScheduleTemplate).toMatchObject({
      name: input.name,
      rules: [{ ...TUESDAY_RULE, endTime: "15:00" }],
      breaks: [{ dayOfWeek: null, startTime: "11:00", endTime: "12:00" }],
      effectiveRules: [
        { ...TUESDAY_RULE, endTime: "11:00" },
        { ...TUESDAY_RULE, startTime: "12:00", endTime: "15:00" },
      ],
    });
    expect(codeOf(await h.call(UPDATE, { id, input: { ...input, name: other.name } }, ADMIN))).toBe("CONFLICT");
    expect(codeOf(await h.call(UPDATE, { id: randomUUID(), input: tuesdays() }, ADMIN))).toBe("NOT_FOUND");
    const partSlots = { ...input, rules: [TUESDAY_RULE], breaks: [{ startTime: "11:00", endTime: "11:10" }] };
    expect(codeOf(await h.call(UPDATE, { id, input: partSlots }, ADMIN))).toBe("BAD_USER_INPUT");

    expect((await h.call(DELETE, { id }, ADMIN)).data.deleteScheduleTemplate).toBe(true);
    expect(codeOf(await h.call(DELETE, { id }, ADMIN))).toBe("NOT_FOUND");
    expect((await h.call(ONE, { id }, ADMIN)).data.scheduleTemplate).toBeNull();
  });
});

describe("applying a template from a date", () => {
  it("keeps today's rules, adds the template from the date, and writes ScheduleTemplateApplied then DoctorScheduleChanged once per doctor", async () => {
    const berlin = await insertDoctor(h.prisma, { timezone: "Europe/Berlin" });
    const tokyo = await insertDoctor(h.prisma, { timezone: "Asia/Tokyo" });
    for (const d of [berlin, tokyo]) expect((await h.call(SCHEDULE, { id: d.id, rules: [MONDAY_RULE] }, ADMIN)).errors).toBeUndefined();
    await h.prisma.outboxEvent.deleteMany({ where: { aggregateId: { in: [berlin.id, tokyo.id] } } });
    const templateId = await createTemplate();
    const from = mondayAhead("Asia/Tokyo");

    const res = await h.call(APPLY, { t: templateId, d: [tokyo.id, berlin.id], from }, ADMIN);
    expect(res.errors).toBeUndefined();
    expect(res.data.applyScheduleTemplate).toEqual([{ id: tokyo.id }, { id: berlin.id }]);

    for (const d of [berlin, tokyo]) {
      const doctor = (await h.call(DOCTOR, { id: d.id })).data.doctor;
      expect(doctor.weeklySchedule).toEqual([MONDAY_RULE]);
      expect(doctor.upcomingSchedules).toEqual([{ from, rules: [TUESDAY_RULE] }]);
      const events = await outboxOf(d.id);
      expect(events.map((e) => e.type)).toEqual(["ScheduleTemplateApplied", "DoctorScheduleChanged"]);
      expect(events[0]!.payload).toEqual({ templateId, doctorId: d.id, from, actorId: (ADMIN as { userId: string }).userId, at: expect.any(String) });
      expect(events[1]!.payload).toMatchObject({ doctorId: d.id, schedule: { rules: [MONDAY_RULE], upcoming: [{ from, rules: [TUESDAY_RULE] }] } });
    }
  });

  it("from today: the template is in force at once; a later application from a later day keeps it until then", async () => {
    const doctor = await insertDoctor(h.prisma, { timezone: "America/New_York" });
    const today = DateTime.now().setZone("America/New_York").toISODate()!;
    const templateId = await createTemplate();
    expect((await h.call(APPLY, { t: templateId, d: [doctor.id], from: today }, ADMIN)).errors).toBeUndefined();
    expect((await h.call(DOCTOR, { id: doctor.id })).data.doctor).toMatchObject({ weeklySchedule: [TUESDAY_RULE], upcomingSchedules: [] });

    const mondays = await createTemplate({ name: `Mondays ${randomUUID().slice(0, 8)}`, rules: [{ ...MONDAY_RULE, endTime: "12:00" }] } as never);
    const later = mondayAhead("America/New_York");
    expect((await h.call(APPLY, { t: mondays, d: [doctor.id], from: later }, ADMIN)).errors).toBeUndefined();
    expect((await h.call(DOCTOR, { id: doctor.id })).data.doctor).toMatchObject({
      weeklySchedule: [TUESDAY_RULE],
      upcomingSchedules: [{ from: later, rules: [MONDAY_RULE] }],
    });

    // setWeeklySchedule replaces today's rules and keeps the upcoming version.
    const friday = { ...MONDAY_RULE, dayOfWeek: "FRIDAY" };
    expect((await h.call(SCHEDULE, { id: doctor.id, rules: [friday] }, ADMIN)).errors).toBeUndefined();
    expect((await h.call(DOCTOR, { id: doctor.id })).data.doctor).toMatchObject({
      weeklySchedule: [friday],
      upcomingSchedules: [{ from: later, rules: [MONDAY_RULE] }],
    });
  });

  it("refuses a day past in one doctor's zone, an unknown doctor, a non-admin, too many doctors: nothing written for anyone", async () => {
    // Kiritimati (UTC+14) is always a day or more ahead of Pago Pago (UTC-11): today in Pago Pago is past there.
    const ahead = await insertDoctor(h.prisma, { timezone: "Pacific/Kiritimati" });
    const behind = await insertDoctor(h.prisma, { timezone: "Pacific/Pago_Pago" });
    const templateId = await createTemplate();
    const pagoToday = DateTime.now().setZone("Pacific/Pago_Pago").toISODate()!;
    const past = await h.call(APPLY, { t: templateId, d: [behind.id, ahead.id], from: pagoToday }, ADMIN);
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "from" });
    expect(codeOf(await h.call(APPLY, { t: templateId, d: [behind.id, randomUUID()], from: mondayAhead("UTC") }, ADMIN))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(APPLY, { t: randomUUID(), d: [behind.id], from: mondayAhead("UTC") }, ADMIN))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(APPLY, { t: templateId, d: [behind.id], from: mondayAhead("UTC") }, doctorCaller(behind.userId)))).toBe("FORBIDDEN");
    const many = Array.from({ length: 201 }, () => randomUUID());
    expect(codeOf(await h.call(APPLY, { t: templateId, d: many, from: mondayAhead("UTC") }, ADMIN))).toBe("BAD_USER_INPUT");
    for (const d of [ahead, behind]) expect(await outboxOf(d.id)).toEqual([]);
    expect(await h.prisma.scheduleVersion.count({ where: { doctorId: { in: [ahead.id, behind.id] } } })).toBe(0);
  });

  it("is all or nothing: a failure at the second doctor rolls back the first doctor's version and events", async () => {
    const first = await insertDoctor(h.prisma);
    const second = await insertDoctor(h.prisma);
    const [a, b] = [first, second].sort((x, y) => x.id.localeCompare(y.id));
    const templateId = await createTemplate();
    const repositories = createRepositories(h.prisma as unknown as PrismaClient, h.sql);
    const failsAtSecond: UnitOfWork = {
      run: (work) =>
        repositories.unitOfWork.run((tx) =>
          work({
            ...tx,
            doctors: {
              ...tx.doctors,
              lock: async (id) => {
                if (id === b!.id) throw new Error("the second doctor's lock fails");
                return tx.doctors.lock(id);
              },
            },
          }),
        ),
    };
    const admin: Actor = { userId: randomUUID(), role: "ADMIN", requestId: randomUUID() };
    const deps = { ...repositories, unitOfWork: failsAtSecond, clock: () => new Date() };
    await expect(
      applyScheduleTemplate(deps, admin, { templateId, doctorIds: [a!.id, b!.id], from: new Date(`${mondayAhead("UTC")}T00:00:00Z`) }),
    ).rejects.toThrow("second doctor");
    expect(await h.prisma.scheduleVersion.count({ where: { doctorId: { in: [a!.id, b!.id] } } })).toBe(0);
    for (const d of [a!, b!]) expect(await outboxOf(d.id)).toEqual([]);
  });
});

describe("previewScheduleTemplate", () => {
  it("lists each doctor's slots in their own zone, skipping time off, and the appointments the template would leave uncovered", async () => {
    const berlin = await insertDoctor(h.prisma, { timezone: "Europe/Berlin" });
    const newYork = await insertDoctor(h.prisma, { timezone: "America/New_York" });
    for (const d of [berlin, newYork]) expect((await h.call(SCHEDULE, { id: d.id, rules: [MONDAY_RULE] }, ADMIN)).errors).toBeUndefined();
    const templateId = await createTemplate();
    const from = mondayAhead("Europe/Berlin");
    const tuesday = DateTime.fromISO(from, { zone: "Europe/Berlin" }).plus({ days: 1 });
    // Time off over Berlin's first Tuesday 09:00–10:00: two slots fewer.
    const off = { from: tuesday.set({ hour: 9 }).toUTC().toISO(), to: tuesday.set({ hour: 10 }).toUTC().toISO() };
    expect(
      (
        await h.call(
          `mutation($id: ID!, $f: DateTime!, $t: DateTime!) { addTimeOff(doctorId: $id, from: $f, to: $t) { id } }`,
          { id: berlin.id, f: off.from, t: off.to },
          ADMIN,
        )
      ).errors,
    ).toBeUndefined();
    // A booked Monday-morning appointment (not in the template) and a pending Tuesday one (covered).
    const monday = DateTime.fromISO(`${from}T09:00`, { zone: "America/New_York" });
    const uncovered = { id: randomUUID(), startsAt: monday.toJSDate(), endsAt: monday.plus({ minutes: 30 }).toJSDate(), status: "BOOKED" };
    const covered = {
      id: randomUUID(),
      startsAt: monday.plus({ days: 1 }).toJSDate(),
      endsAt: monday.plus({ days: 1, minutes: 30 }).toJSDate(),
      status: "PENDING",
    };
    const cancelled = { ...uncovered, id: randomUUID(), status: "CANCELLED" };
    for (const a of [uncovered, covered, cancelled]) h.scheduling.put(newYork.id, a);

    const res = await h.call(PREVIEW, { t: templateId, d: [berlin.id, newYork.id], from, days: 7 }, ADMIN);
    expect(res.errors).toBeUndefined();
    const [b, n] = res.data.previewScheduleTemplate;
    expect(b).toMatchObject({ doctor: { id: berlin.id }, timezone: "Europe/Berlin", conflicts: [] });
    expect(b.slots).toHaveLength(8);
    expect(b.slots[0].startsAt).toBe(tuesday.set({ hour: 10 }).toUTC().toISO());
    expect(n.slots).toHaveLength(10);
    expect(n.slots[0]).toEqual({ startsAt: monday.plus({ days: 1 }).toUTC().toISO(), endsAt: monday.plus({ days: 1, minutes: 30 }).toUTC().toISO() });
    expect(n.conflicts).toEqual([
      { appointmentId: uncovered.id, startsAt: uncovered.startsAt.toISOString(), endsAt: uncovered.endsAt.toISOString(), status: "BOOKED" },
    ]);
    // Scheduling was asked as the ADMIN caller, and nothing was written.
    expect(h.scheduling.callers.at(-1)).toMatchObject({ role: "ADMIN" });
    expect(await h.prisma.scheduleVersion.count({ where: { doctorId: { in: [berlin.id, newYork.id] } } })).toBe(0);
    expect(codeOf(await h.call(PREVIEW, { t: templateId, d: [berlin.id], from, days: 63 }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(PREVIEW, { t: templateId, d: [berlin.id], from }, RECEPTION))).toBe("FORBIDDEN");
  });
});

describe("addExtraHours", () => {
  it("the doctor adds extra hours: listed on the doctor and carried in DoctorScheduleChanged", async () => {
    const doctor = await insertDoctor(h.prisma);
    const start = DateTime.now().plus({ days: 3 }).startOf("hour").toUTC();
    const [from, to] = [start.toISO(), start.plus({ hours: 2 }).toISO()];
    const res = await h.call(EXTRA, { id: doctor.id, from, to, m: 30 }, doctorCaller(doctor.userId));
    expect(res.errors).toBeUndefined();
    expect(res.data.addExtraHours).toEqual({ from, to, slotMinutes: 30, doctor: { id: doctor.id } });
    expect((await h.call(DOCTOR, { id: doctor.id })).data.doctor.extraHours).toEqual([{ from, to, slotMinutes: 30 }]);
    const events = await outboxOf(doctor.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ schedule: { extraHours: [{ from, to, slotMinutes: 30 }] } });
    expect(codeOf(await h.call(EXTRA, { id: doctor.id, from, to, m: 45 }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(EXTRA, { id: doctor.id, from, to, m: 30 }, doctorCaller(randomUUID())))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(EXTRA, { id: doctor.id, from, to, m: 30 }, PATIENT))).toBe("FORBIDDEN");
  });
});
