/**
 * Typed test data: callers, doctors (seeded through the real `syncDoctor`), slots and appointments in a
 * given state (made through the real domain functions). Every call makes fresh random ids, so tests
 * never depend on each other's data; specialty codes and service ids are unique per doctor unless shared
 * on purpose.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import type { Role } from "@clinigraph/platform";
import type { TestCaller } from "@clinigraph/testing";
import type { DoctorSnapshot } from "../../src/index.js";
import type { WeeklyRule } from "@clinigraph/platform/slots";
import { syncDoctor } from "../../src/domain/syncDoctor.js";
import { requestAppointment } from "../../src/domain/requestAppointment.js";
import { changeStatus } from "../../src/domain/transitions.js";
import type { Actor, Appointment, Slot } from "../../src/domain/types.js";
import type { Harness } from "./harness.js";

export const BERLIN = "Europe/Berlin";
export const ANONYMOUS: TestCaller = { userId: null, role: null };

export interface Caller extends TestCaller {
  userId: string;
  role: Role;
}

export const newPatient = (): Caller => ({ userId: randomUUID(), role: "PATIENT" });
export const newStaff = (role: Exclude<Role, "PATIENT" | "DOCTOR">): Caller => ({ userId: randomUUID(), role });

/** The domain Actor for a caller (doctors carry their Doctor id, as the context resolves it). */
export const actorOf = (caller: Caller, doctorId: string | null = null): Actor => ({ userId: caller.userId, role: caller.role, doctorId });
export const systemAdmin = (): Actor => actorOf(newStaff("ADMIN"));

/** A wall-clock time in the doctor's zone, e.g. at("2026-03-02T14:00"). */
export const at = (local: string, zone = BERLIN): Date => DateTime.fromISO(local, { zone }).toJSDate();

export const uniqueSpecialty = () => `T${randomBytes(4).toString("hex").toUpperCase()}`;

const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as const;
/** Monday to Friday, `start`–`end` local, `minutes`-long slots. */
export const weekdays = (start = "09:00", end = "17:00", minutes = 30): WeeklyRule[] =>
  WEEKDAYS.map((dayOfWeek) => ({ dayOfWeek, startTime: start, endTime: end, slotMinutes: minutes }));

export function doctorSnapshot(overrides: Partial<DoctorSnapshot> = {}): DoctorSnapshot {
  const id = randomUUID();
  return {
    id,
    userId: randomUUID(),
    name: `Dr. Test ${id.slice(0, 8)}`,
    timezone: BERLIN,
    autoApprove: false,
    specialtyCode: uniqueSpecialty(),
    location: "Berlin Mitte",
    serviceIds: [randomUUID()],
    rules: weekdays(),
    timeOff: [],
    ...overrides,
  };
}

export interface SeededDoctor {
  id: string;
  snapshot: DoctorSnapshot;
  caller: Caller;
  actor: Actor;
}

/** A doctor known to the doctors subgraph (the fake client) and synced into scheduling, with slots. */
export async function seedDoctor(h: Harness, overrides: Partial<DoctorSnapshot> = {}): Promise<SeededDoctor> {
  const snapshot = doctorSnapshot(overrides);
  h.doctors.put(snapshot);
  await syncDoctor(h.deps, snapshot);
  const caller: Caller = { userId: snapshot.userId!, role: "DOCTOR" };
  return { id: snapshot.id, snapshot, caller, actor: actorOf(caller, snapshot.id) };
}

/** Re-syncs a doctor after a change of their snapshot (as doctors would tell scheduling). */
export async function resync(h: Harness, doctor: SeededDoctor, changes: Partial<DoctorSnapshot>) {
  doctor.snapshot = { ...doctor.snapshot, ...changes };
  h.doctors.put(doctor.snapshot);
  return syncDoctor(h.deps, doctor.snapshot);
}

/** The doctor's slot starting at a local wall-clock time; fails the test when there is none. */
export async function slotAt(h: Harness, doctorId: string, local: string): Promise<Slot> {
  const row = await h.prisma.slot.findUnique({ where: { doctorId_startsAt: { doctorId, startsAt: at(local) } } });
  if (!row) throw new Error(`no slot of ${doctorId} at ${local}`);
  return toSlot(row);
}

/** A slot as scheduling's Prisma client reads it, as the domain sees it. */
function toSlot(row: {
  id: string;
  doctorId: string;
  startsAt: Date;
  endsAt: Date;
  status: Slot["status"];
  specialtyCode: string;
  location: string | null;
}): Slot {
  const { id, doctorId, startsAt, endsAt, status, specialtyCode, location } = row;
  return { id, doctorId, startsAt, endsAt, status, specialtyCode, location };
}

export async function slotById(h: Harness, id: string): Promise<Slot> {
  return toSlot(await h.prisma.slot.findUniqueOrThrow({ where: { id } }));
}

/** Today (the base Monday) 14:00 local: past the minimum notice, and due for check-in. */
export const TODAY_AFTERNOON = "2026-03-02T14:00";
/** Wednesday of the same week: bookable, cancellable, not yet due. */
export const LATER_THIS_WEEK = "2026-03-04T10:00";

export async function request(h: Harness, patient: Caller, slotId: string, extra: { serviceId?: string; reason?: string } = {}): Promise<Appointment> {
  const result = await requestAppointment(h.deps, actorOf(patient), { slotId, ...extra });
  if (result.kind !== "Appointment") throw new Error(`could not book: ${result.message}`);
  return result;
}

export type MadeStatus = "PENDING" | "BOOKED" | "CHECKED_IN" | "FULFILLED" | "CANCELLED" | "REJECTED";

export interface MadeAppointment {
  appointment: Appointment;
  doctor: SeededDoctor;
  patient: Caller;
  slot: Slot;
}

/**
 * An appointment brought to `status` through the domain functions, at the current fake time: requested by
 * the patient, approved/rejected by the doctor, checked in by reception, fulfilled by the doctor.
 */
export async function appointmentIn(
  h: Harness,
  status: MadeStatus,
  options: { doctor?: SeededDoctor; patient?: Caller; local?: string } = {},
): Promise<MadeAppointment> {
  const doctor = options.doctor ?? (await seedDoctor(h));
  const patient = options.patient ?? newPatient();
  const slot = await slotAt(h, doctor.id, options.local ?? (status === "CHECKED_IN" || status === "FULFILLED" ? TODAY_AFTERNOON : LATER_THIS_WEEK));
  let appointment = await request(h, patient, slot.id);
  const step = async (actor: Actor, action: Parameters<typeof changeStatus>[3]) => (appointment = await changeStatus(h.deps, actor, appointment.id, action));
  if (status === "REJECTED") await step(doctor.actor, "REJECT");
  if (status === "CANCELLED") await step(actorOf(patient), "CANCEL");
  if (["BOOKED", "CHECKED_IN", "FULFILLED"].includes(status) && appointment.status === "PENDING") await step(doctor.actor, "APPROVE");
  if (status === "CHECKED_IN" || status === "FULFILLED") await step(actorOf(newStaff("RECEPTIONIST")), "CHECK_IN");
  if (status === "FULFILLED") await step(doctor.actor, "FULFILL");
  return { appointment, doctor, patient, slot };
}

/** Rows as stored, for assertions on what a call did (or did not do). */
export const appointmentRow = (h: Harness, id: string) => h.prisma.appointment.findUniqueOrThrow({ where: { id } });
export const outboxTypes = async (h: Harness, appointmentId: string) =>
  (await h.prisma.outboxEvent.findMany({ where: { aggregateId: appointmentId }, orderBy: { sequence: "asc" } })).map((e) => e.type);
export const historyActions = async (h: Harness, appointmentId: string) =>
  (await h.prisma.appointmentChange.findMany({ where: { appointmentId }, orderBy: { seq: "asc" } })).map((c) => c.action);
