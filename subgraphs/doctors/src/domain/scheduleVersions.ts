/**
 * Effective-dated schedules (ADR "effective-dated schedules"): a doctor's base weekly rules, then versions that take
 * over from a local day (YYYY-MM-DD in the doctor's time zone) on. Shared by applying and previewing templates.
 */
import { badInput, dayIn, isUuid, notFound } from "@clinigraph/platform";
import type { DoctorRepository } from "./ports.js";
import type { Doctor } from "./types.js";

/** At most this many doctors per apply or preview. */
export const MAX_DOCTORS_PER_CALL = 200;

/** The doctor's local calendar day of `now`. */
export const localToday = (now: Date, timezone: string): string => dayIn(now, timezone);

/** A Date scalar (UTC midnight) as the local day it names. */
export const isoDay = (date: Date): string => {
  if (Number.isNaN(date.getTime())) throw badInput("Invalid date", "from");
  return date.toISOString().slice(0, 10);
};

/** A template is applied at most this far ahead (a later day is almost certainly a typing error). */
export const MAX_DAYS_AHEAD = 366;

/** Refuses a first day that is already past in the doctor's time zone (today is allowed), or more than a year ahead. */
export function checkFromDay(from: string, doctor: Pick<Doctor, "id" | "timezone">, now: Date): void {
  const today = localToday(now, doctor.timezone);
  if (from < today) throw badInput(`${from} is in the past for doctor ${doctor.id} (today is ${today} in ${doctor.timezone})`, "from");
  const latest = new Date(Date.parse(`${today}T00:00:00Z`) + MAX_DAYS_AHEAD * 86_400_000).toISOString().slice(0, 10);
  if (from > latest) throw badInput(`The first day may be at most ${MAX_DAYS_AHEAD} days ahead`, "from");
}

/** The doctors named (duplicates ignored), in the order given; NOT_FOUND naming none when one does not exist. */
export async function findDoctorsOrFail(doctors: Pick<DoctorRepository, "findByIds">, ids: readonly string[]): Promise<Doctor[]> {
  if (ids.length === 0) throw badInput("Name at least one doctor", "doctorIds");
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length > MAX_DOCTORS_PER_CALL) throw badInput(`At most ${MAX_DOCTORS_PER_CALL} doctors per call`, "doctorIds");
  if (!unique.every(isUuid)) throw notFound("Doctor not found");
  const found = new Map((await doctors.findByIds(unique)).map((d) => [d.id, d]));
  return unique.map((id) => {
    const doctor = found.get(id);
    if (!doctor) throw notFound("Doctor not found");
    return doctor;
  });
}
