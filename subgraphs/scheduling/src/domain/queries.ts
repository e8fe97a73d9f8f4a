/** Read side: availability search, one appointment, a caller's own list, staff calendars. */
import { badInput, decodeCursor, forbidden, isUuid, pageSize, toConnection } from "@clinigraph/platform";
import { toAppointment, toSlot } from "../data/mappers.js";
import type { Prisma } from "../data/prisma.js";
import type { SchedulingDeps } from "./deps.js";
import { optionalId } from "./ids.js";
import { calendarScope } from "./policy.js";
import type { Actor, Appointment, AppointmentStatus, Slot } from "./types.js";

const MAX_RANGE_DAYS = 62;

function checkRange(from: Date, to: Date, field: string) {
  if (to <= from) throw badInput("`to` must be after `from`", `${field}.to`);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw badInput(`The range may span at most ${MAX_RANGE_DAYS} days`, `${field}.to`);
}

export interface SlotFilterInput {
  doctorId?: string | null;
  specialty?: string | null;
  serviceId?: string | null;
  location?: string | null;
  from: Date;
  to: Date;
}

export async function availableSlots(deps: SchedulingDeps, filter: SlotFilterInput, first?: number | null): Promise<Slot[]> {
  checkRange(filter.from, filter.to, "filter");
  const limit = first === null || first === undefined ? 100 : first;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput("first must be between 1 and 500", "first");
  const doctorId = optionalId(filter.doctorId, "filter.doctorId");
  const serviceId = optionalId(filter.serviceId, "filter.serviceId");
  const earliest = new Date(Math.max(filter.from.getTime(), deps.clock().getTime() + deps.rules.minNoticeMinutes * 60_000));
  const where: Prisma.SlotWhereInput = { status: "FREE", startsAt: { gte: earliest, lt: filter.to } };
  if (doctorId) where.doctorId = doctorId;
  if (filter.specialty?.trim()) where.specialtyCode = filter.specialty.trim().toUpperCase();
  if (filter.location?.trim()) where.location = { equals: filter.location.trim(), mode: "insensitive" };
  if (serviceId) {
    const offering = await deps.prisma.doctorProfile.findMany({ where: { serviceIds: { has: serviceId } }, select: { doctorId: true } });
    const ids = offering.map((p) => p.doctorId).filter((id) => !doctorId || id === doctorId);
    if (ids.length === 0) return [];
    where.doctorId = { in: ids };
  }
  const rows = await deps.prisma.slot.findMany({ where, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take: limit });
  return rows.map(toSlot);
}

export async function myAppointments(
  deps: SchedulingDeps,
  actor: Actor,
  args: { status?: AppointmentStatus | null; first?: number | null; after?: string | null },
) {
  const first = pageSize(args.first);
  const where: Prisma.AppointmentWhereInput = {};
  if (actor.role === "PATIENT") where.patientId = actor.userId;
  else if (actor.role === "DOCTOR" && actor.doctorId) where.doctorId = actor.doctorId;
  else throw forbidden("myAppointments is for patients and doctors");
  if (args.status) where.status = args.status;
  const key = decodeCursor(args.after, 2);
  if (key) {
    const [startsAt, id] = key;
    if (typeof startsAt !== "string" || !isUuid(id) || Number.isNaN(Date.parse(startsAt))) throw badInput("Invalid cursor", "after");
    where.OR = [{ startsAt: { gt: new Date(startsAt) } }, { startsAt: new Date(startsAt), id: { gt: id } }];
  }
  const rows = await deps.prisma.appointment.findMany({ where, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take: first + 1 });
  return toConnection(
    rows.map((row) => toAppointment(row, deps.cipher)),
    first,
    (a: Appointment) => [a.startsAt.toISOString(), a.id],
    key !== null,
  );
}

export async function calendar(deps: SchedulingDeps, actor: Actor, args: { doctorId?: string | null; from: Date; to: Date }): Promise<Appointment[]> {
  checkRange(args.from, args.to, "calendar");
  const doctorId = calendarScope(actor, optionalId(args.doctorId, "doctorId"));
  const rows = await deps.prisma.appointment.findMany({
    where: { ...(doctorId ? { doctorId } : {}), startsAt: { lt: args.to }, endsAt: { gt: args.from } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: 5_000,
  });
  return rows.map((row) => toAppointment(row, deps.cipher));
}
