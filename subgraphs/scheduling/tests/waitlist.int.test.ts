/**
 * The waitlist: a patient asks for the next freed slot of a doctor (or service) within a range; when a
 * matching slot frees (cancel, reject, expiry, reschedule away) the first in line gets an appointment for
 * it right after that change commits (before the mutation answers) — PENDING or BOOKED per the doctor's
 * approval mode — and the entry is OFFERED. The per-day limit race is in hardening.int.test.ts.
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { expireHolds } from "../src/index.js";
import {
  appointmentIn,
  newPatient,
  newStaff,
  outboxTypes,
  request,
  seedDoctor,
  slotAt,
  slotById,
  type Caller,
  type SeededDoctor,
} from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { CANCEL, JOIN_WAITLIST, MY_WAITLIST, REJECT, RESCHEDULE, type AppointmentView, type WaitlistView } from "./support/operations.js";

const h = useHarness();

const THIS_WEEK = { from: "2026-03-03T00:00:00Z", to: "2026-03-07T00:00:00Z" };

async function join(patient: Caller, input: Record<string, unknown>) {
  const res = await h.call<{ joinWaitlist: WaitlistView }>(JOIN_WAITLIST, { input }, patient);
  expect(res.errors).toBeUndefined();
  h.clock.advanceMinutes(1); // the next one joins later: a clear order in line
  return res.data!.joinWaitlist;
}
const myWaitlist = async (patient: Caller) => (await h.call<{ myWaitlist: WaitlistView[] }>(MY_WAITLIST, {}, patient)).data!.myWaitlist;
const cancel = (id: string, patient: Caller) => h.call<{ cancelAppointment: AppointmentView }>(CANCEL, { id }, patient);

describe("a freed slot goes to the waitlist", () => {
  it("a cancel makes a PENDING request for the first waiting patient of a manual-approval doctor", async () => {
    const doctor = await seedDoctor(h, { autoApprove: false });
    const booked = await appointmentIn(h, "BOOKED", { doctor });
    const waiting = newPatient();
    const entry = await join(waiting, { doctorId: doctor.id, ...THIS_WEEK });
    expect(entry).toMatchObject({ status: "WAITING", offeredAppointment: null });

    expect((await cancel(booked.appointment.id, booked.patient)).data?.cancelAppointment.status).toBe("CANCELLED");

    const [mine] = await myWaitlist(waiting);
    expect(mine).toMatchObject({ id: entry.id, status: "OFFERED", offeredAppointment: { status: "PENDING", startsAt: booked.slot.startsAt.toISOString() } });
    expect(mine!.offeredAppointment!.holdExpiresAt).toBe(new Date(h.clock.now().getTime() + 15 * 60_000).toISOString());
    const offered = await h.prisma.appointment.findUniqueOrThrow({ where: { id: mine!.offeredAppointment!.id } });
    expect(offered).toMatchObject({ patientId: waiting.userId, doctorId: doctor.id, slotId: booked.slot.id });
    expect((await slotById(h, booked.slot.id)).status).toBe("BUSY");
    expect(await outboxTypes(h, offered.id)).toEqual(["AppointmentRequested"]);
    const history = await h.prisma.appointmentChange.findMany({ where: { appointmentId: offered.id } });
    expect(history).toEqual([expect.objectContaining({ action: "WAITLIST_OFFER", actorId: null, fromStatus: null, toStatus: "PENDING" })]);
  });

  it("books at once for an auto-approving doctor", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const booked = await appointmentIn(h, "BOOKED", { doctor });
    const waiting = newPatient();
    await join(waiting, { doctorId: doctor.id, ...THIS_WEEK });
    await cancel(booked.appointment.id, booked.patient);
    const [mine] = await myWaitlist(waiting);
    expect(mine).toMatchObject({ status: "OFFERED", offeredAppointment: { status: "BOOKED", holdExpiresAt: null } });
    expect(await outboxTypes(h, mine!.offeredAppointment!.id)).toEqual(["AppointmentRequested", "AppointmentBooked"]);
  });

  it("serves the first in line, skips those already booked with the doctor that day, leaves the rest waiting", async () => {
    const doctor = await seedDoctor(h);
    const booked = await appointmentIn(h, "BOOKED", { doctor });
    const [busy, first, second] = [newPatient(), newPatient(), newPatient()];
    await request(h, busy, (await slotAt(h, doctor.id, "2026-03-04T15:00")).id); // same day as the freed slot
    await join(busy, { doctorId: doctor.id, ...THIS_WEEK });
    await join(first, { doctorId: doctor.id, ...THIS_WEEK });
    await join(second, { doctorId: doctor.id, ...THIS_WEEK });
    await cancel(booked.appointment.id, booked.patient);
    expect((await myWaitlist(busy))[0]?.status).toBe("WAITING");
    expect((await myWaitlist(first))[0]).toMatchObject({ status: "OFFERED", offeredAppointment: { startsAt: booked.slot.startsAt.toISOString() } });
    expect((await myWaitlist(second))[0]?.status).toBe("WAITING");
  });

  it("matches on the range and the doctor: others keep waiting and the slot stays free", async () => {
    const doctor = await seedDoctor(h);
    const otherDoctor = await seedDoctor(h, { specialtyCode: doctor.snapshot.specialtyCode, serviceIds: doctor.snapshot.serviceIds });
    const booked = await appointmentIn(h, "BOOKED", { doctor });
    const nextWeek = newPatient();
    const elsewhere = newPatient();
    await join(nextWeek, { doctorId: doctor.id, from: "2026-03-09T00:00:00Z", to: "2026-03-13T00:00:00Z" });
    await join(elsewhere, { doctorId: otherDoctor.id, ...THIS_WEEK });
    await cancel(booked.appointment.id, booked.patient);
    expect((await myWaitlist(nextWeek))[0]?.status).toBe("WAITING");
    expect((await myWaitlist(elsewhere))[0]?.status).toBe("WAITING");
    expect((await slotById(h, booked.slot.id)).status).toBe("FREE");
  });

  it("an entry for a service (any doctor) is served by a doctor offering it", async () => {
    const service = randomUUID();
    const doctor = await seedDoctor(h, { serviceIds: [service] });
    const booked = await appointmentIn(h, "BOOKED", { doctor });
    const waiting = newPatient();
    await join(waiting, { serviceId: service, ...THIS_WEEK });
    await cancel(booked.appointment.id, booked.patient);
    const [mine] = await myWaitlist(waiting);
    expect(mine?.status).toBe("OFFERED");
    expect((await h.prisma.appointment.findUniqueOrThrow({ where: { id: mine!.offeredAppointment!.id } })).serviceId).toBe(service);
  });

  it.each(["reject", "expiry", "reschedule away"] as const)("also after a %s", async (how) => {
    const doctor: SeededDoctor = await seedDoctor(h);
    const held = await appointmentIn(h, how === "reschedule away" ? "BOOKED" : "PENDING", { doctor });
    const waiting = newPatient();
    await join(waiting, { doctorId: doctor.id, ...THIS_WEEK });
    if (how === "reject") expect(codeOf(await h.call(REJECT, { id: held.appointment.id }, doctor.caller))).toBe("OK");
    if (how === "reschedule away") {
      const target = await slotAt(h, doctor.id, "2026-03-09T10:00");
      expect(codeOf(await h.call(RESCHEDULE, { id: held.appointment.id, slotId: target.id }, held.patient))).toBe("OK");
    }
    if (how === "expiry") {
      h.clock.advanceMinutes(20);
      await expireHolds(h.deps);
    }
    expect((await myWaitlist(waiting))[0]).toMatchObject({ status: "OFFERED", offeredAppointment: { startsAt: held.slot.startsAt.toISOString() } });
  });

  it("does not offer a freed slot that is too soon to book", async () => {
    const doctor = await seedDoctor(h);
    const booked = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-02T11:00" });
    const waiting = newPatient();
    await join(waiting, { doctorId: doctor.id, from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z" });
    h.clock.set("2026-03-02T09:30:00Z"); // 30 minutes before the freed time
    await cancel(booked.appointment.id, booked.patient);
    expect((await myWaitlist(waiting))[0]?.status).toBe("WAITING");
  });
});

describe("joinWaitlist input", () => {
  it.each([
    ["neither doctor nor service", () => ({ ...THIS_WEEK }), "input.doctorId"],
    ["an unknown doctor", () => ({ doctorId: randomUUID(), ...THIS_WEEK }), "input.doctorId"],
    ["a malformed doctor id", () => ({ doctorId: "dr-1", ...THIS_WEEK }), "input.doctorId"],
    ["an empty range", (d: string) => ({ doctorId: d, from: THIS_WEEK.to, to: THIS_WEEK.from }), "input.to"],
    ["a range in the past", (d: string) => ({ doctorId: d, from: "2026-02-01T00:00:00Z", to: "2026-02-02T00:00:00Z" }), "input.to"],
    ["a range over 92 days", (d: string) => ({ doctorId: d, from: "2026-03-03T00:00:00Z", to: "2026-07-03T00:00:00Z" }), "input.to"],
  ])("refuses %s (BAD_USER_INPUT)", async (_name, input, field) => {
    const doctor = await seedDoctor(h);
    const res = await h.call(JOIN_WAITLIST, { input: input(doctor.id) }, newPatient());
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("myWaitlist is the patient's own, and for patients only", async () => {
    const doctor = await seedDoctor(h);
    const patient = newPatient();
    await join(patient, { doctorId: doctor.id, ...THIS_WEEK });
    expect(await myWaitlist(patient)).toHaveLength(1);
    expect(await myWaitlist(newPatient())).toEqual([]);
    expect(codeOf(await h.call(MY_WAITLIST, {}, newStaff("RECEPTIONIST")))).toBe("FORBIDDEN");
  });
});
