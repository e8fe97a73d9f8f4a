/**
 * previewScheduleTemplate (ADMIN): what applying a template from `from` would do to each doctor, without changing
 * anything. Per doctor, in the doctor's own time zone: the free slots of the local days [from, from + days) under the
 * resulting schedule (the current rules until the day before `from`, the template's from `from` on; time off blocks,
 * extra hours add), and the PENDING or BOOKED appointments from `from` on (62 days, scheduling's calendar range) that it
 * would no longer cover — those scheduling will flag for staff (needsAttention) once the template is applied. The
 * appointments come from the scheduling subgraph (its calendar, asked as the caller).
 */
import { badInput } from "@clinigraph/platform";
import { generateSlots, type WeeklyRule } from "@clinigraph/platform/slots";
import { DateTime } from "luxon";
import type { Deps } from "./deps.js";
import { requireAdmin } from "./policy.js";
import { findTemplateOrFail } from "./scheduleTemplateCrud.js";
import { effectiveRules } from "./scheduleTemplates.js";
import { formatTime } from "./scheduleRules.js";
import { checkFromDay, findDoctorsOrFail, isoDay } from "./scheduleVersions.js";
import type { Actor, Doctor, ScheduleRule } from "./types.js";

export const MAX_PREVIEW_DAYS = 62;
/** How far from `from` appointments are checked: scheduling's calendar range (its slots reach 56 days ahead by default). */
export const CONFLICT_WINDOW_DAYS = 62;
const LIVE = new Set(["PENDING", "BOOKED"]);
/** Calls to scheduling at once. */
const CONCURRENCY = 8;

export interface PreviewInput {
  templateId: string;
  doctorIds: readonly string[];
  from: Date;
  days?: number | null;
}

export interface PreviewSlot {
  startsAt: Date;
  endsAt: Date;
}

export interface PreviewConflict {
  appointmentId: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
}

export interface DoctorPreview {
  doctor: Doctor;
  timezone: string;
  slots: PreviewSlot[];
  conflicts: PreviewConflict[];
}

export type PreviewDeps = Pick<Deps, "clock" | "templates" | "doctors" | "schedules" | "versions" | "timeOff" | "extraHours" | "scheduling">;

const toWeekly = (rules: readonly ScheduleRule[]): WeeklyRule[] =>
  rules.map((r) => ({ dayOfWeek: r.dayOfWeek, startTime: formatTime(r.startMinute), endTime: formatTime(r.endMinute), slotMinutes: r.slotMinutes }));

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function previewScheduleTemplate(deps: PreviewDeps, actor: Actor, input: PreviewInput): Promise<DoctorPreview[]> {
  requireAdmin(actor);
  const days = input.days ?? 14;
  if (!Number.isInteger(days) || days < 1 || days > MAX_PREVIEW_DAYS) throw badInput(`days is from 1 to ${MAX_PREVIEW_DAYS}`, "days");
  const template = await findTemplateOrFail(deps.templates, input.templateId);
  const from = isoDay(input.from);
  const doctors = await findDoctorsOrFail(deps.doctors, input.doctorIds);
  const now = deps.clock();
  for (const doctor of doctors) checkFromDay(from, doctor, now);
  const templateRules = toWeekly(effectiveRules(template.rules, template.breaks, "template.rules"));

  const ids = doctors.map((d) => d.id);
  const [baseRules, inForce, upcoming, timeOff, extraHours] = await Promise.all([
    deps.schedules.rulesOfDoctors(ids),
    deps.versions.inForce(ids, now),
    deps.versions.upcoming(ids, now),
    deps.timeOff.ofDoctors(ids, now),
    deps.extraHours.ofDoctors(ids, now),
  ]);

  return mapLimited(doctors, CONCURRENCY, async (doctor) => {
    const current = inForce.find((v) => v.doctorId === doctor.id)?.rules ?? baseRules.filter((r) => r.doctorId === doctor.id);
    // The doctor's schedule as the application would leave it: versions before `from` stay, the template from `from` on.
    const versions = [
      ...upcoming.filter((v) => v.doctorId === doctor.id && v.from < from).map((v) => ({ from: v.from, rules: toWeekly(v.rules) })),
      { from, rules: templateRules },
    ];
    const start = DateTime.fromISO(from, { zone: doctor.timezone }).startOf("day");
    const schedule = {
      timezone: doctor.timezone,
      rules: toWeekly(current),
      upcoming: versions,
      timeOff: timeOff.filter((t) => t.doctorId === doctor.id).map((t) => ({ from: t.startsAt, to: t.endsAt })),
      extraHours: extraHours.filter((e) => e.doctorId === doctor.id).map((e) => ({ from: e.startsAt, to: e.endsAt, slotMinutes: e.slotMinutes })),
    };
    const slotsFrom = new Date(Math.max(start.toMillis(), now.getTime()));
    const slotsTo = start.plus({ days }).toJSDate();
    const slots =
      slotsFrom < slotsTo
        ? generateSlots({ ...schedule, from: slotsFrom, to: slotsTo })
            .filter((s) => !s.blocked)
            .map(({ startsAt, endsAt }) => ({ startsAt, endsAt }))
        : [];

    const windowEnd = start.plus({ days: CONFLICT_WINDOW_DAYS }).toJSDate();
    const appointments = (await deps.scheduling.appointments(doctor.id, start.toJSDate(), windowEnd, actor)).filter(
      (a) => LIVE.has(a.status) && a.startsAt >= start.toJSDate() && a.startsAt >= now,
    );
    let conflicts: PreviewConflict[] = [];
    if (appointments.length) {
      // Covered: a free slot of the resulting schedule at exactly the appointment's time (what scheduling keeps booked).
      const covering = new Set(
        generateSlots({ ...schedule, from: start.toJSDate(), to: windowEnd })
          .filter((s) => !s.blocked)
          .map((s) => `${s.startsAt.getTime()}/${s.endsAt.getTime()}`),
      );
      conflicts = appointments
        .filter((a) => !covering.has(`${a.startsAt.getTime()}/${a.endsAt.getTime()}`))
        .map((a) => ({ appointmentId: a.id, startsAt: a.startsAt, endsAt: a.endsAt, status: a.status }))
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    }
    return { doctor, timezone: doctor.timezone, slots, conflicts };
  });
}
