/**
 * Per-request DataLoaders: each batch is one query. Keys that are not UUIDs resolve to nothing
 * without reaching the database (a uuid column would reject them).
 */
import { isUuid } from "@clinigraph/platform";
import DataLoader from "dataloader";
import { compareRules } from "../domain/scheduleRules.js";
import type { Deps } from "../domain/deps.js";
import type { Doctor, ExtraHours, MedicalService, ScheduleRule, ScheduleVersion, Specialty, TimeOff } from "../domain/types.js";

export interface Loaders {
  doctorById: DataLoader<string, Doctor | null>;
  specialtyById: DataLoader<string, Specialty | null>;
  serviceById: DataLoader<string, MedicalService | null>;
  servicesByDoctorId: DataLoader<string, MedicalService[]>;
  /** The weekly rules in force on the doctor's local day of the request's `now` (a version in force, else the base rules). */
  rulesByDoctorId: DataLoader<string, ScheduleRule[]>;
  /** Versions that take over after the doctor's local today, earliest first. */
  upcomingByDoctorId: DataLoader<string, ScheduleVersion[]>;
  /** Extra hours ending after the request's `now`, by start. */
  extraHoursByDoctorId: DataLoader<string, ExtraHours[]>;
  /** Current and upcoming time off (ending after the request's `now`). */
  timeOffByDoctorId: DataLoader<string, TimeOff[]>;
}

type LoaderRepositories = Pick<Deps, "catalogue" | "doctors" | "schedules" | "timeOff" | "versions" | "extraHours">;

const plainRule = ({ dayOfWeek, startMinute, endMinute, slotMinutes }: ScheduleRule): ScheduleRule => ({ dayOfWeek, startMinute, endMinute, slotMinutes });

/** One row per key, or null. */
function byId<T extends { id: string }>(fetch: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (keys) => {
    const ids = [...new Set(keys.filter(isUuid).map((k) => k.toLowerCase()))];
    const rows = ids.length ? await fetch(ids) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return keys.map((key) => found.get(key.toLowerCase()) ?? null);
  });
}

/** Many rows per key, in the order the query returned them. */
function grouped<R, T>(fetch: (ids: string[]) => Promise<R[]>, keyOf: (row: R) => string, valueOf: (row: R) => T) {
  return new DataLoader<string, T[]>(async (keys) => {
    const ids = [...new Set(keys.filter(isUuid).map((k) => k.toLowerCase()))];
    const groups = new Map<string, T[]>();
    for (const row of ids.length ? await fetch(ids) : []) {
      const key = keyOf(row);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(valueOf(row));
    }
    return keys.map((key) => groups.get(key.toLowerCase()) ?? []);
  });
}

export function createLoaders(repos: LoaderRepositories, now: Date): Loaders {
  return {
    doctorById: byId((ids) => repos.doctors.findByIds(ids)),
    specialtyById: byId((ids) => repos.catalogue.specialtiesByIds(ids)),
    serviceById: byId((ids) => repos.catalogue.servicesByIds(ids)),
    servicesByDoctorId: grouped(
      (ids) => repos.catalogue.servicesOfDoctors(ids),
      (row) => row.doctorId,
      (row) => row.service,
    ),
    rulesByDoctorId: grouped(
      async (ids) => {
        const [base, inForce] = await Promise.all([repos.schedules.rulesOfDoctors(ids), repos.versions.inForce(ids, now)]);
        const versioned = new Set(inForce.map((v) => v.doctorId));
        return [
          ...base.filter((rule) => !versioned.has(rule.doctorId)),
          ...inForce.flatMap((v) => v.rules.map((rule) => ({ ...plainRule(rule), doctorId: v.doctorId }))),
        ].sort(compareRules);
      },
      (row) => row.doctorId,
      plainRule,
    ),
    upcomingByDoctorId: grouped(
      (ids) => repos.versions.upcoming(ids, now),
      (row) => row.doctorId,
      (row) => ({ ...row, rules: [...row.rules].sort(compareRules) }),
    ),
    extraHoursByDoctorId: grouped(
      (ids) => repos.extraHours.ofDoctors(ids, now),
      (row) => row.doctorId,
      (row) => row,
    ),
    timeOffByDoctorId: grouped(
      (ids) => repos.timeOff.ofDoctors(ids, now),
      (row) => row.doctorId,
      (row) => row,
    ),
  };
}

/** After a change to a doctor: what this request's loaders hold about it is stale. Returns the doctor. */
export function refreshDoctor(loaders: Loaders, doctor: Doctor): Doctor {
  loaders.doctorById.clear(doctor.id).prime(doctor.id, doctor);
  loaders.servicesByDoctorId.clear(doctor.id);
  return doctor;
}

/** After a change to a specialty: this request's loaders hold it as it is now. */
export function refreshSpecialty(loaders: Loaders, specialty: Specialty): Specialty {
  loaders.specialtyById.clear(specialty.id).prime(specialty.id, specialty);
  return specialty;
}

/** After a change to a service (a retirement takes it off doctors' lists): what this request's loaders hold is stale. */
export function refreshService(loaders: Loaders, service: MedicalService): MedicalService {
  loaders.serviceById.clear(service.id).prime(service.id, service);
  loaders.servicesByDoctorId.clearAll();
  return service;
}
