/** Read side: availability search, one appointment, a caller's own list, staff calendars. */
import { badInput, decodeCursor, forbidden, isUuid, pageSize, toConnection } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { optionalId } from "./ids.js";
import { calendarScope } from "./policy.js";
import type { OwnerScope } from "./ports.js";
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

/** Public: anyone may search free slots. */
export async function availableSlots(
  deps: Pick<Deps, "clock" | "rules" | "profiles" | "slots" | "serviceStatuses">,
  filter: SlotFilterInput,
  first?: number | null,
): Promise<Slot[]> {
  checkRange(filter.from, filter.to, "filter");
  const limit = first === null || first === undefined ? 100 : first;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput("first must be between 1 and 500", "first");
  const doctorId = optionalId(filter.doctorId, "filter.doctorId");
  const serviceId = optionalId(filter.serviceId, "filter.serviceId");
  const earliest = new Date(Math.max(filter.from.getTime(), deps.clock().getTime() + deps.rules.minNoticeMinutes * 60_000));
  let doctorIds = doctorId ? [doctorId] : null;
  if (serviceId) {
    // A retired service is offered by nobody (the projection only: a public search does not call doctors).
    if ((await deps.serviceStatuses.statusOf(serviceId)) === "RETIRED") return [];
    doctorIds = (await deps.profiles.offering(serviceId)).filter((id) => !doctorId || id === doctorId);
    if (doctorIds.length === 0) return [];
  }
  return deps.slots.searchFree({
    earliest,
    to: filter.to,
    doctorIds,
    specialtyCode: filter.specialty?.trim() ? filter.specialty.trim().toUpperCase() : null,
    location: filter.location?.trim() || null,
    take: limit,
  });
}

export async function myAppointments(deps: Deps, actor: Actor, args: { status?: AppointmentStatus | null; first?: number | null; after?: string | null }) {
  const first = pageSize(args.first);
  let scope: OwnerScope;
  if (actor.role === "PATIENT") scope = { patientId: actor.userId };
  else if (actor.role === "DOCTOR" && actor.doctorId) scope = { doctorId: actor.doctorId };
  else throw forbidden("myAppointments is for patients and doctors");
  const key = decodeCursor(args.after, 2);
  let after: { startsAt: Date; id: string } | null = null;
  if (key) {
    const [startsAt, id] = key;
    if (typeof startsAt !== "string" || !isUuid(id) || Number.isNaN(Date.parse(startsAt))) throw badInput("Invalid cursor", "after");
    after = { startsAt: new Date(startsAt), id };
  }
  const rows = await deps.appointments.listOwn(scope, { status: args.status, after, take: first + 1 });
  return toConnection(rows, first, (a: Appointment) => [a.startsAt.toISOString(), a.id], key !== null);
}

export async function calendar(deps: Deps, actor: Actor, args: { doctorId?: string | null; from: Date; to: Date }): Promise<Appointment[]> {
  checkRange(args.from, args.to, "calendar");
  const doctorId = calendarScope(actor, optionalId(args.doctorId, "doctorId"));
  return deps.appointments.calendar(doctorId, args.from, args.to, 5_000);
}
