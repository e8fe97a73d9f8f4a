/**
 * Mutations over HTTP against the real server and database, with every role.
 * createDoctor talks to accounts through an AccountsClient; here it is the in-memory FakeAccounts
 * (tests/support/fakeAccounts.ts). The real cross-subgraph path is covered by the lead's end-to-end
 * test through the router, and the HTTP client by accountsClient.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { isUniqueViolation } from "../src/data/prisma.js";
import { insertDoctor } from "./support/factories.js";
import { ADMIN, codeOf, doctorCaller, PATIENT, startHarness, type Caller, type Harness } from "./support/harness.js";

let h: Harness;
let doctor: { id: string; userId: string };
let otherDoctor: Caller;

beforeAll(async () => {
  h = await startHarness();
  doctor = await insertDoctor(h.prisma, { name: "Dr. Own Schedule", specialtyCode: "GP" });
  otherDoctor = doctorCaller((await insertDoctor(h.prisma, { name: "Dr. Someone Else" })).userId);
});
afterAll(async () => {
  await h?.stop();
});

const CREATE = `mutation($input: CreateDoctorInput!) { createDoctor(input: $input) {
  id name user { id } specialty { code } services { code } timezone autoApprove licenseNumber location bio weeklySchedule { dayOfWeek } timeOff { id }
} }`;
const UPDATE = `mutation($id: ID!, $input: UpdateDoctorInput!) { updateDoctor(id: $id, input: $input) { id name bio location timezone autoApprove specialty { code } services { code } licenseNumber } }`;
const SCHEDULE = `mutation($id: ID!, $rules: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $id, rules: $rules) { id weeklySchedule { dayOfWeek startTime endTime slotMinutes } } }`;
const TIME_OFF = `mutation($id: ID!, $from: DateTime!, $to: DateTime!, $reason: String) { addTimeOff(doctorId: $id, from: $from, to: $to, reason: $reason) { id from to reason createdAt doctor { id } } }`;

const newDoctorInput = (overrides: Record<string, unknown> = {}) => ({
  email: `dr.${randomUUID().slice(0, 8)}@example.test`,
  password: "Long-enough-password-1",
  name: "Dr. Grace Hopper",
  phone: "+49301234567",
  specialtyCode: "CARD",
  licenseNumber: "LIC-42",
  location: "Berlin Mitte",
  timezone: "europe/berlin",
  serviceCodes: ["SPECIALIST_CONSULT", "PROC_ECG"],
  ...overrides,
});

const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

describe("createDoctor", () => {
  it("is for ADMIN only", async () => {
    const calls = h.accounts.calls.length;
    expect(codeOf(await h.call(CREATE, { input: newDoctorInput() }, "anonymous"))).toBe("UNAUTHENTICATED");
    expect(codeOf(await h.call(CREATE, { input: newDoctorInput() }, PATIENT))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(CREATE, { input: newDoctorInput() }, doctorCaller(doctor.userId)))).toBe("FORBIDDEN");
    expect(h.accounts.calls.length).toBe(calls);
  });

  it("creates the DOCTOR user in accounts (as the calling admin), then the doctor", async () => {
    const res = await h.call(CREATE, { input: newDoctorInput() }, ADMIN);
    expect(res.errors).toBeUndefined();
    const created = res.data.createDoctor;
    expect(created).toMatchObject({
      name: "Dr. Grace Hopper",
      specialty: { code: "CARD" },
      services: [{ code: "PROC_ECG" }, { code: "SPECIALIST_CONSULT" }],
      timezone: "Europe/Berlin",
      autoApprove: true,
      licenseNumber: "LIC-42",
      location: "Berlin Mitte",
      bio: null,
      weeklySchedule: [],
      timeOff: [],
    });
    const user = h.accounts.users.get(created.user.id);
    expect(user).toMatchObject({ role: "DOCTOR", name: "Dr. Grace Hopper" });
    expect(h.accounts.calls.at(-1)).toMatchObject({ op: "createStaffUser", caller: { userId: (ADMIN as { userId: string }).userId, role: "ADMIN" } });
    const row = await h.prisma.doctor.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.userId).toBe(created.user.id);
  });

  it("links an existing DOCTOR user by userId, once", async () => {
    const user = h.accounts.addUser("DOCTOR", "Dr. Linked");
    const input = newDoctorInput({ email: null, password: null, userId: user.id, autoApprove: false, name: "Dr. Linked" });
    const res = await h.call(CREATE, { input }, ADMIN);
    expect(res.errors).toBeUndefined();
    expect(res.data.createDoctor).toMatchObject({ user: { id: user.id }, autoApprove: false });
    const again = await h.call(CREATE, { input }, ADMIN);
    expect(again.errors![0]).toMatchObject({ message: "This user is already a doctor", extensions: { code: "CONFLICT" } });
  });

  it("refuses a user who is not a DOCTOR or does not exist", async () => {
    const patient = h.accounts.addUser("PATIENT");
    expect(codeOf(await h.call(CREATE, { input: newDoctorInput({ email: null, password: null, userId: patient.id }) }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(CREATE, { input: newDoctorInput({ email: null, password: null, userId: randomUUID() }) }, ADMIN))).toBe("BAD_USER_INPUT");
  });

  it("validates the time zone, specialty and services before calling accounts", async () => {
    const calls = h.accounts.calls.length;
    const tz = await h.call(CREATE, { input: newDoctorInput({ timezone: "Mars/Olympus" }) }, ADMIN);
    expect(tz.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.timezone" });
    const specialty = await h.call(CREATE, { input: newDoctorInput({ specialtyCode: "ASTRO" }) }, ADMIN);
    expect(specialty.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.specialtyCode" });
    const service = await h.call(CREATE, { input: newDoctorInput({ serviceCodes: ["TELEPORT"] }) }, ADMIN);
    expect(service.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.serviceCodes" });
    expect(h.accounts.calls.length).toBe(calls);
  });

  it("passes accounts' errors on with their code and message", async () => {
    const weak = await h.call(CREATE, { input: newDoctorInput({ password: "short" }) }, ADMIN);
    expect(weak.errors![0]).toMatchObject({
      message: "Password must be at least 10 characters",
      extensions: { code: "BAD_USER_INPUT", field: "input.password" },
    });
    const input = newDoctorInput();
    expect((await h.call(CREATE, { input }, ADMIN)).errors).toBeUndefined();
    const duplicate = await h.call(CREATE, { input }, ADMIN);
    expect(duplicate.errors![0]).toMatchObject({ message: "This e-mail is already registered", extensions: { code: "CONFLICT" } });
  });

  it("lets only one of two concurrent requests link the same user", async () => {
    const user = h.accounts.addUser("DOCTOR", "Dr. Twice");
    const input = newDoctorInput({ email: null, password: null, userId: user.id, name: "Dr. Twice" });
    const results = await Promise.all([h.call(CREATE, { input }, ADMIN), h.call(CREATE, { input }, ADMIN)]);
    expect(results.map((r) => codeOf(r) ?? "OK").sort()).toEqual(["CONFLICT", "OK"]);
    expect(await h.prisma.doctor.count({ where: { userId: user.id } })).toBe(1);
  });

  it("recognises the database's unique violation on user_id (the last line against races)", async () => {
    const existing = await insertDoctor(h.prisma);
    const err = await insertDoctor(h.prisma, { userId: existing.userId }).catch((e: unknown) => e);
    expect(isUniqueViolation(err, "user_id")).toBe(true);
    expect(isUniqueViolation(err, "name")).toBe(false);
  });
});

describe("updateDoctor", () => {
  it("lets an ADMIN change anything and the doctor only bio and location", async () => {
    const admin = await h.call(
      UPDATE,
      { id: doctor.id, input: { specialtyCode: "CARD", serviceCodes: ["PROC_ECG"], timezone: "Asia/Seoul", autoApprove: false, licenseNumber: "X-1" } },
      ADMIN,
    );
    expect(admin.errors).toBeUndefined();
    expect(admin.data.updateDoctor).toMatchObject({
      specialty: { code: "CARD" },
      services: [{ code: "PROC_ECG" }],
      timezone: "Asia/Seoul",
      autoApprove: false,
      licenseNumber: "X-1",
    });

    const self = await h.call(UPDATE, { id: doctor.id, input: { bio: "Loves ECGs", location: "Seoul Gangnam" } }, doctorCaller(doctor.userId));
    expect(self.errors).toBeUndefined();
    expect(self.data.updateDoctor).toMatchObject({ bio: "Loves ECGs", location: "Seoul Gangnam", name: "Dr. Own Schedule" });

    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { name: "Dr. Renamed" } }, doctorCaller(doctor.userId)))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { autoApprove: true } }, doctorCaller(doctor.userId)))).toBe("FORBIDDEN");
  });

  it("refuses other doctors, patients and anonymous callers", async () => {
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { bio: "x" } }, otherDoctor))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { bio: "x" } }, PATIENT))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { bio: "x" } }, "anonymous"))).toBe("UNAUTHENTICATED");
  });

  it("validates input and answers NOT_FOUND for an unknown doctor", async () => {
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { timezone: "Mars/Olympus" } }, ADMIN))).toBe("BAD_USER_INPUT");
    // An offset is no zone, though the ICU of Node 22 and later takes one as a time zone.
    for (const offset of ["+02:00", "-0500", "UTC+2"])
      expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { timezone: offset } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { name: null } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE, { id: doctor.id, input: { specialtyCode: "NOPE" } }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE, { id: randomUUID(), input: { bio: "x" } }, ADMIN))).toBe("NOT_FOUND");
  });
});

describe("setWeeklySchedule", () => {
  const week = [
    { dayOfWeek: "WEDNESDAY", startTime: "14:00", endTime: "18:00", slotMinutes: 20 },
    { dayOfWeek: "MONDAY", startTime: "09:00", endTime: "13:00", slotMinutes: 30 },
    { dayOfWeek: "MONDAY", startTime: "14:00", endTime: "24:00", slotMinutes: 60 },
  ];

  it("refuses anonymous callers, patients and other doctors", async () => {
    expect(codeOf(await h.call(SCHEDULE, { id: doctor.id, rules: week }, "anonymous"))).toBe("UNAUTHENTICATED");
    expect(codeOf(await h.call(SCHEDULE, { id: doctor.id, rules: week }, PATIENT))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(SCHEDULE, { id: doctor.id, rules: week }, otherDoctor))).toBe("FORBIDDEN");
    expect(await h.prisma.scheduleRule.count({ where: { doctorId: doctor.id } })).toBe(0);
  });

  it("lets the doctor set their week, sorted and local to their time zone", async () => {
    const res = await h.call(SCHEDULE, { id: doctor.id, rules: week }, doctorCaller(doctor.userId));
    expect(res.errors).toBeUndefined();
    expect(res.data.setWeeklySchedule.weeklySchedule).toEqual([
      { dayOfWeek: "MONDAY", startTime: "09:00", endTime: "13:00", slotMinutes: 30 },
      { dayOfWeek: "MONDAY", startTime: "14:00", endTime: "24:00", slotMinutes: 60 },
      { dayOfWeek: "WEDNESDAY", startTime: "14:00", endTime: "18:00", slotMinutes: 20 },
    ]);
  });

  it("lets an ADMIN replace (not append to) the rules", async () => {
    const res = await h.call(SCHEDULE, { id: doctor.id, rules: [{ dayOfWeek: "FRIDAY", startTime: "08:00", endTime: "10:00", slotMinutes: 15 }] }, ADMIN);
    expect(res.errors).toBeUndefined();
    expect(res.data.setWeeklySchedule.weeklySchedule).toEqual([{ dayOfWeek: "FRIDAY", startTime: "08:00", endTime: "10:00", slotMinutes: 15 }]);
    expect(await h.prisma.scheduleRule.count({ where: { doctorId: doctor.id } })).toBe(1);
    const read = await h.call(`query($id: ID!) { doctor(id: $id) { weeklySchedule { dayOfWeek startTime } } }`, { id: doctor.id });
    expect(read.data.doctor.weeklySchedule).toEqual([{ dayOfWeek: "FRIDAY", startTime: "08:00" }]);
  });

  it("refuses overlapping rules and windows that do not divide into slots, changing nothing", async () => {
    const overlap = await h.call(
      SCHEDULE,
      {
        id: doctor.id,
        rules: [
          { dayOfWeek: "TUESDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 },
          { dayOfWeek: "TUESDAY", startTime: "11:00", endTime: "13:00", slotMinutes: 30 },
        ],
      },
      ADMIN,
    );
    expect(overlap.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "rules[1]" });
    const uneven = await h.call(SCHEDULE, { id: doctor.id, rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", endTime: "10:00", slotMinutes: 45 }] }, ADMIN);
    expect(codeOf(uneven)).toBe("BAD_USER_INPUT");
    expect(
      codeOf(await h.call(SCHEDULE, { id: doctor.id, rules: [{ dayOfWeek: "TUESDAY", startTime: "9am", endTime: "10:00", slotMinutes: 30 }] }, ADMIN)),
    ).toBe("BAD_USER_INPUT");
    expect(await h.prisma.scheduleRule.count({ where: { doctorId: doctor.id } })).toBe(1);
  });

  it("has CHECK constraints in the database behind the domain rules", async () => {
    const bad = (startMinute: number, endMinute: number, slotMinutes: number) =>
      h.prisma.scheduleRule.create({ data: { id: randomUUID(), doctorId: doctor.id, dayOfWeek: "SUNDAY", startMinute, endMinute, slotMinutes } }).then(
        () => "inserted",
        () => "refused",
      );
    expect(await bad(600, 540, 30)).toBe("refused");
    expect(await bad(540, 600, 4)).toBe("refused");
    expect(await bad(540, 600, 45)).toBe("refused");
    const range = await h.prisma.timeOff
      .create({ data: { id: randomUUID(), doctorId: doctor.id, startsAt: new Date(hours(2)), endsAt: new Date(hours(1)) } })
      .then(
        () => "inserted",
        () => "refused",
      );
    expect(range).toBe("refused");
  });

  it("answers NOT_FOUND for an unknown doctor", async () => {
    expect(codeOf(await h.call(SCHEDULE, { id: randomUUID(), rules: [] }, ADMIN))).toBe("NOT_FOUND");
  });
});

describe("addTimeOff", () => {
  it("refuses anonymous callers, patients and other doctors", async () => {
    const vars = { id: doctor.id, from: hours(24), to: hours(48) };
    expect(codeOf(await h.call(TIME_OFF, vars, "anonymous"))).toBe("UNAUTHENTICATED");
    expect(codeOf(await h.call(TIME_OFF, vars, PATIENT))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(TIME_OFF, vars, otherDoctor))).toBe("FORBIDDEN");
  });

  it("lets the doctor and an ADMIN add time off; the reason is private to them", async () => {
    const from = "2099-07-01T09:00:00+02:00";
    const res = await h.call(TIME_OFF, { id: doctor.id, from, to: "2099-07-14T18:00:00+02:00", reason: "Conference" }, doctorCaller(doctor.userId));
    expect(res.errors).toBeUndefined();
    expect(res.data.addTimeOff).toMatchObject({
      from: "2099-07-01T07:00:00.000Z",
      to: "2099-07-14T16:00:00.000Z",
      reason: "Conference",
      doctor: { id: doctor.id },
    });
    const byAdmin = await h.call(TIME_OFF, { id: doctor.id, from: hours(1), to: hours(3) }, ADMIN);
    expect(byAdmin.errors).toBeUndefined();

    const READ = `query($id: ID!) { doctor(id: $id) { timeOff { from reason } } }`;
    const asSelf = await h.call(READ, { id: doctor.id }, doctorCaller(doctor.userId));
    expect(asSelf.data.doctor.timeOff).toEqual([
      { from: byAdmin.data.addTimeOff.from, reason: null },
      { from: "2099-07-01T07:00:00.000Z", reason: "Conference" },
    ]);
    const asPatient = await h.call(READ, { id: doctor.id }, PATIENT);
    expect(asPatient.data.doctor.timeOff.map((t: { reason: string | null }) => t.reason)).toEqual([null, null]);
  });

  it("validates the range", async () => {
    expect(codeOf(await h.call(TIME_OFF, { id: doctor.id, from: hours(5), to: hours(4) }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(TIME_OFF, { id: doctor.id, from: hours(-5), to: hours(-4) }, ADMIN))).toBe("BAD_USER_INPUT");
    const noZone = await h.call(TIME_OFF, { id: doctor.id, from: "2099-07-01T09:00:00", to: hours(4) }, ADMIN);
    expect(noZone.status).toBe(400);
    expect(codeOf(noZone)).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(TIME_OFF, { id: randomUUID(), from: hours(1), to: hours(2) }, ADMIN))).toBe("NOT_FOUND");
    // Written inline (not as a variable), a bad DateTime is the caller's input error too, as in a variable.
    const literal = await h.call(
      `mutation($id: ID!) { addTimeOff(doctorId: $id, from: "tomorrow", to: "2099-01-01T00:00:00Z") { id } }`,
      { id: doctor.id },
      ADMIN,
    );
    expect(literal.status).toBe(400);
    expect(codeOf(literal)).toBe("BAD_USER_INPUT");
  });
});
