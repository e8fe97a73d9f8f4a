/**
 * Schedule changes: `syncDoctor` with a changed snapshot regenerates future FREE slots, never touches BUSY
 * ones (their appointments are flagged `needsAttention` instead), blocks and unblocks slots for time off,
 * and leaves the past alone. `syncDoctorSlots` pulls the snapshot from the doctors client.
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { syncDoctor } from "../src/domain/syncDoctor.js";
import {
  at,
  appointmentIn,
  doctorSnapshot,
  newPatient,
  newStaff,
  resync,
  seedDoctor,
  slotAt,
  slotById,
  uniqueSpecialty,
  weekdays,
} from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { APPOINTMENT, AVAILABLE, REQUEST, SYNC, type AppointmentView, type BookingView, type SlotView } from "./support/operations.js";

const h = useHarness({ horizonDays: 14 });

const slotsOf = (doctorId: string, day?: string) =>
  h.prisma.slot.findMany({
    where: { doctorId, ...(day ? { startsAt: { gte: at(`${day}T00:00`), lt: at(`${day}T23:59`) } } : {}) },
    orderBy: { startsAt: "asc" },
  });
const needsAttention = async (id: string) => (await h.prisma.appointment.findUniqueOrThrow({ where: { id } })).needsAttention;
const DAY_OFF = [{ from: "2026-03-05T00:00:00+01:00", to: "2026-03-06T00:00:00+01:00" }]; // Thursday

describe("syncDoctor", () => {
  it("creates the horizon's slots once; the same snapshot again changes nothing", async () => {
    const snapshot = doctorSnapshot();
    expect(await syncDoctor(h.deps, snapshot)).toEqual({ created: 160, removed: 0, blocked: 0, unblocked: 0, flagged: 0 }); // 10 weekdays × 16
    expect(await syncDoctor(h.deps, snapshot)).toEqual({ created: 0, removed: 0, blocked: 0, unblocked: 0, flagged: 0 });
  });

  it("shorter hours remove the future FREE slots outside them, keep the BUSY one and flag its appointment", async () => {
    const doctor = await seedDoctor(h);
    const afternoon = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T14:00" });
    const morning = await appointmentIn(h, "PENDING", { doctor, local: "2026-03-05T10:00" });
    const kept = await slotAt(h, doctor.id, "2026-03-04T11:30");

    const result = await resync(h, doctor, { rules: weekdays("09:00", "12:00") });
    expect(result.flagged).toBe(1);
    expect(result.removed).toBe(10 * 10 - 1); // 10 slots a day from 12:00 to 17:00, minus the busy one
    expect((await slotsOf(doctor.id, "2026-03-04")).map((s) => [s.startsAt.toISOString(), s.status])).toEqual([
      ...["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"].map((t) => [at(`2026-03-04T${t}`).toISOString(), "FREE"]),
      [at("2026-03-04T14:00").toISOString(), "BUSY"],
    ]);
    expect((await slotAt(h, doctor.id, "2026-03-04T11:30")).id).toBe(kept.id); // unchanged slots keep their id
    const res = await h.call<{ appointment: AppointmentView }>(APPOINTMENT, { id: afternoon.appointment.id }, afternoon.patient);
    expect(res.data?.appointment).toMatchObject({ status: "BOOKED", needsAttention: true });
    expect(await needsAttention(morning.appointment.id)).toBe(false);
  });

  it("a new slot length replaces FREE slots, keeps the BUSY one; a new slot over a booked time cannot be taken", async () => {
    const doctor = await seedDoctor(h);
    const booked = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-04T10:00" });
    await resync(h, doctor, { rules: weekdays("09:00", "12:00", 20) });
    const wednesday = await slotsOf(doctor.id, "2026-03-04");
    expect(wednesday.find((s) => s.id === booked.slot.id)).toMatchObject({ status: "BUSY", endsAt: booked.slot.endsAt });
    expect(wednesday.filter((s) => s.status === "FREE").every((s) => s.endsAt.getTime() - s.startsAt.getTime() === 20 * 60_000)).toBe(true);
    expect(await needsAttention(booked.appointment.id)).toBe(true);

    const overlapping = await slotAt(h, doctor.id, "2026-03-04T10:20"); // 10:20–10:40 overlaps the booked 10:00–10:30
    const res = await h.call<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: overlapping.id } }, newPatient());
    expect(res.errors).toBeUndefined();
    expect(res.data?.requestAppointment.__typename).toBe("SlotUnavailable");
    expect(await h.prisma.appointment.count({ where: { doctorId: doctor.id, status: { in: ["PENDING", "BOOKED"] } } })).toBe(1);
  });

  it("time off turns FREE slots BLOCKED (BUSY ones stay, flagged) and back to FREE when it is withdrawn", async () => {
    const doctor = await seedDoctor(h);
    const booked = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-05T10:00" });
    const blockedResult = await resync(h, doctor, { timeOff: DAY_OFF });
    expect(blockedResult).toMatchObject({ blocked: 15, flagged: 1, created: 0, removed: 0 });
    const thursday = await slotsOf(doctor.id, "2026-03-05");
    expect(thursday.filter((s) => s.status === "BLOCKED")).toHaveLength(15);
    expect(thursday.find((s) => s.id === booked.slot.id)?.status).toBe("BUSY");
    expect(await needsAttention(booked.appointment.id)).toBe(true);
    expect((await slotsOf(doctor.id, "2026-03-04")).every((s) => s.status === "FREE")).toBe(true);

    const unblocked = await resync(h, doctor, { timeOff: [] });
    expect(unblocked).toMatchObject({ unblocked: 15, blocked: 0 });
    const after = await slotsOf(doctor.id, "2026-03-05");
    expect(after.map((s) => s.status).sort()).toEqual(["BUSY", ...Array(15).fill("FREE")]);
    expect(after.map((s) => s.id).sort()).toEqual(thursday.map((s) => s.id).sort());
  });

  it("leaves past slots alone and rolls the horizon forward", async () => {
    const doctor = await seedDoctor(h);
    const monday = (await slotsOf(doctor.id, "2026-03-02")).map((s) => s.id);
    h.clock.set("2026-03-09T08:00:00Z"); // a week later
    const result = await resync(h, doctor, { rules: weekdays("13:00", "17:00") });
    expect((await slotsOf(doctor.id, "2026-03-02")).map((s) => s.id)).toEqual(monday);
    expect(result.created).toBeGreaterThan(0);
    expect((await slotsOf(doctor.id, "2026-03-20")).map((s) => s.startsAt.toISOString())[0]).toBe(at("2026-03-20T13:00").toISOString());
  });

  it("follows a change of specialty and location in the future slots, for search", async () => {
    const doctor = await seedDoctor(h, { location: "Berlin Mitte" });
    const specialty = uniqueSpecialty();
    await resync(h, doctor, { specialtyCode: specialty, location: "Potsdam" });
    const res = await h.call<{ availableSlots: SlotView[] }>(AVAILABLE, {
      filter: { specialty: specialty.toLowerCase(), location: "potsdam", from: "2026-03-04T00:00:00Z", to: "2026-03-05T00:00:00Z" },
    });
    expect(res.data?.availableSlots).toHaveLength(16);
    expect(res.data?.availableSlots.every((s) => s.doctor.id === doctor.id)).toBe(true);
  });
});

describe("syncDoctorSlots", () => {
  it("pulls the doctor's current snapshot from the doctors subgraph", async () => {
    const doctor = await seedDoctor(h);
    h.doctors.put({ ...doctor.snapshot, timeOff: DAY_OFF });
    const res = await h.call(SYNC, { doctorId: doctor.id }, doctor.caller);
    expect(res.errors).toBeUndefined();
    expect((await slotAt(h, doctor.id, "2026-03-05T10:00")).status).toBe("BLOCKED");
  });

  it("lets a new doctor (not yet known here) pull their own schedule", async () => {
    const snapshot = doctorSnapshot();
    h.doctors.put(snapshot);
    const res = await h.call(SYNC, { doctorId: snapshot.id }, { userId: snapshot.userId!, role: "DOCTOR" });
    expect(res.errors).toBeUndefined();
    expect(await h.prisma.slot.count({ where: { doctorId: snapshot.id } })).toBe(160);
  });

  it("refuses a doctor not known here who asks for someone else's schedule", async () => {
    const other = await seedDoctor(h);
    h.doctors.put({ ...other.snapshot, timeOff: DAY_OFF });
    const stranger = doctorSnapshot();
    h.doctors.put(stranger); // a real doctor, whose own profile has not reached scheduling yet
    const res = await h.call(SYNC, { doctorId: other.id }, { userId: stranger.userId!, role: "DOCTOR" });
    expect(codeOf(res)).toBe("FORBIDDEN");
    expect((await slotAt(h, other.id, "2026-03-05T10:00")).status).toBe("FREE");
  });

  it("answers NOT_FOUND for a doctor the doctors subgraph does not know, BAD_USER_INPUT for a malformed id", async () => {
    const admin = newStaff("ADMIN");
    expect(codeOf(await h.call(SYNC, { doctorId: randomUUID() }, admin))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(SYNC, { doctorId: "dr-7" }, admin))).toBe("BAD_USER_INPUT");
  });

  it("keeps working on a slot after its sync (the id of an untouched slot is stable)", async () => {
    const doctor = await seedDoctor(h);
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    await h.call(SYNC, { doctorId: doctor.id }, newStaff("ADMIN"));
    expect((await slotById(h, slot.id)).status).toBe("FREE");
  });
});
