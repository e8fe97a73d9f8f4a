/**
 * Offered time, for utilization: the minutes of the bookable slots a doctor's weekly schedule makes (the same slots
 * scheduling books, from the shared slot generation: the rules in force each day, a template's upcoming rules, extra
 * hours), less time off, per day of the clinic's time zone; none for a deactivated doctor. Refreshed for
 * today and the weeks ahead whenever the doctor's bookable time may have changed (DoctorScheduleChanged), and for
 * every doctor by a periodic sweep (doctors that never changed, days that came into the horizon). Days before a change
 * are never rewritten: they keep what was offered on them.
 */
import { dayIn } from "@clinigraph/platform";
import { generateSlots } from "@clinigraph/platform/slots";
import type { DoctorScheduleSnapshot } from "@clinigraph/events";
import type { Deps } from "./deps.js";
import type { DoctorSchedule } from "./ports.js";

/** Days written ahead of today. */
export const SUPPLY_HORIZON_DAYS = 56;
const DAY_MS = 86_400_000;

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Offered minutes per clinic day in [fromDay, toDay], every day present (0 when nothing is offered). */
export function offeredMinutes(schedule: DoctorSchedule, fromDay: string, toDay: string, clinicTimezone: string): Map<string, number> {
  const minutes = new Map<string, number>();
  for (let day = fromDay; day <= toDay; day = addDays(day, 1)) minutes.set(day, 0);
  if (schedule.active === false) return minutes;
  if (schedule.rules.length === 0 && !schedule.upcoming?.length && !schedule.extraHours?.length) return minutes;
  // A day and a half either side covers any offset between the doctor's, the clinic's and UTC's calendars.
  const from = new Date(Date.parse(`${fromDay}T00:00:00Z`) - 1.5 * DAY_MS);
  const to = new Date(Date.parse(`${toDay}T00:00:00Z`) + 2.5 * DAY_MS);
  const slots = generateSlots({
    timezone: schedule.timezone,
    rules: schedule.rules,
    timeOff: schedule.timeOff,
    from,
    to,
    upcoming: schedule.upcoming,
    extraHours: schedule.extraHours,
  });
  for (const slot of slots) {
    if (slot.blocked) continue;
    const day = dayIn(slot.startsAt, clinicTimezone);
    const offered = minutes.get(day);
    if (offered !== undefined) minutes.set(day, offered + (slot.endsAt.getTime() - slot.startsAt.getTime()) / 60_000);
  }
  return minutes;
}

/** A doctor's schedule as events and the doctors subgraph carry it (ISO times), as slot generation takes it. */
export function scheduleFrom(snapshot: DoctorScheduleSnapshot): DoctorSchedule {
  return {
    timezone: snapshot.timezone,
    rules: snapshot.rules,
    timeOff: snapshot.timeOff.map((off) => ({ from: new Date(off.from), to: new Date(off.to) })),
    specialtyCode: snapshot.specialtyCode,
    location: snapshot.location,
    ...(snapshot.upcoming?.length ? { upcoming: snapshot.upcoming } : {}),
    ...(snapshot.extraHours?.length
      ? { extraHours: snapshot.extraHours.map((extra) => ({ from: new Date(extra.from), to: new Date(extra.to), slotMinutes: extra.slotMinutes })) }
      : {}),
    ...(snapshot.active === false ? { active: false } : {}),
  };
}

type SupplyDeps = Pick<Deps, "catalogue" | "supply" | "settings" | "clock">;

/**
 * Rewrites the doctor's offered minutes from today to the horizon, from the catalogue's schedule as it is now (a
 * doctor the catalogue no longer knows offers none) — or, given a schedule as it was changed at `since` (an event's),
 * from that day on: so reading the doctors stream again from its start gives every day the schedule it had.
 */
export async function refreshSupply(deps: SupplyDeps, doctorId: string, changed?: { schedule: DoctorSchedule; since: Date }): Promise<void> {
  const today = dayIn(deps.clock(), deps.settings.timezone);
  const first = changed ? dayIn(changed.since, deps.settings.timezone) : today;
  const last = addDays(first > today ? first : today, SUPPLY_HORIZON_DAYS);
  const schedule = changed ? changed.schedule : await deps.catalogue.schedule(doctorId);
  const minutes = schedule ? offeredMinutes(schedule, first, last, deps.settings.timezone) : new Map<string, number>();
  await deps.supply.replace(doctorId, first, last, {
    specialtyCode: schedule?.specialtyCode ?? null,
    location: schedule?.location ?? null,
    minutes,
  });
}

/** The periodic sweep: every doctor of the catalogue. */
export async function refreshAllSupply(deps: SupplyDeps & Pick<Deps, "logger">): Promise<number> {
  const doctorIds = await deps.catalogue.doctorIds();
  for (const doctorId of doctorIds) await refreshSupply(deps, doctorId);
  deps.logger.info({ doctors: doctorIds.length }, "offered time refreshed");
  return doctorIds.length;
}
