/**
 * The doctors subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts). DoctorScheduleChanged carries, besides the doctor's id, the doctor's bookable time
 * as this transaction leaves it (public facts: zone, specialty, location, the weekly rules in force, the versions that
 * take over later, time off and extra hours ahead, active), so that a
 * consumer reading the stream from its start sees each change as it was, not as the doctor is today.
 */
import { writePrismaOutboxEvent, type DoctorScheduleSnapshot } from "@clinigraph/events";
import type { CatalogueEvents, Outbox } from "../domain/ports.js";
import type { Prisma } from "../data/prisma.js";
import { compareRules, formatTime } from "../domain/scheduleRules.js";
import type { ScheduleRule } from "../domain/types.js";

/** Written after the doctor's row is locked or written in the same transaction, so one doctor's events keep their order. */
export function createOutbox(tx: Prisma.TransactionClient): Outbox {
  return {
    async append(type, payload, occurredAt) {
      // Only DoctorScheduleChanged carries the schedule; DoctorDeactivated / DoctorReactivated / ScheduleTemplateApplied carry their own payload.
      const schedule = type === "DoctorScheduleChanged" ? await scheduleOf(tx, payload.doctorId, occurredAt) : null;
      await writeEvent(tx, type, payload.doctorId, { ...payload, ...(schedule ? { schedule } : {}) }, occurredAt);
    },
  };
}

/** One outbox row in the running transaction, and the NOTIFY that wakes the relay at commit. */
const writeEvent = (tx: Prisma.TransactionClient, type: string, aggregateId: string, payload: object, occurredAt: Date) =>
  writePrismaOutboxEvent(tx, "doctors", { type, aggregateId, payload, occurredAt });

/** The doctor's bookable time as the transaction sees it (null: no such doctor); one query after the other. */
async function scheduleOf(tx: Prisma.TransactionClient, doctorId: string, at: Date): Promise<DoctorScheduleSnapshot | null> {
  const [doctor] = await tx.$queryRaw<{ timezone: string; location: string | null; code: string; active: boolean }[]>`
    SELECT d.timezone, d.location, s.code, d.active FROM doctors.doctors d JOIN doctors.specialties s ON s.id = d.specialty_id WHERE d.id = ${doctorId}::uuid`;
  if (!doctor) return null;
  // The rules in force on the doctor's local day of `at` (a version, else the base rules), and the versions after it.
  const [inForce] = await tx.$queryRaw<{ rules: StoredRule[] }[]>`
    SELECT v.rules FROM doctors.schedule_versions v JOIN doctors.doctors d ON d.id = v.doctor_id
    WHERE v.doctor_id = ${doctorId}::uuid AND v.effective_from <= (${at}::timestamptz AT TIME ZONE d.timezone)::date
    ORDER BY v.effective_from DESC LIMIT 1`;
  const rules: StoredRule[] =
    inForce?.rules ??
    (await tx.scheduleRule.findMany({
      where: { doctorId },
      select: { dayOfWeek: true, startMinute: true, endMinute: true, slotMinutes: true },
    }));
  const upcoming = await tx.$queryRaw<{ from: string; rules: StoredRule[] }[]>`
    SELECT v.effective_from::text AS "from", v.rules FROM doctors.schedule_versions v JOIN doctors.doctors d ON d.id = v.doctor_id
    WHERE v.doctor_id = ${doctorId}::uuid AND v.effective_from > (${at}::timestamptz AT TIME ZONE d.timezone)::date
    ORDER BY v.effective_from`;
  const extraHours = await tx.extraHours.findMany({
    where: { doctorId, endsAt: { gt: at } },
    select: { startsAt: true, endsAt: true, slotMinutes: true },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  const timeOff = await tx.timeOff.findMany({
    where: { doctorId, endsAt: { gt: at } },
    select: { startsAt: true, endsAt: true },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  return {
    timezone: doctor.timezone,
    specialtyCode: doctor.code,
    location: doctor.location,
    rules: asSnapshotRules(rules),
    timeOff: timeOff.map((off) => ({ from: off.startsAt.toISOString(), to: off.endsAt.toISOString() })),
    active: doctor.active,
    // Absent when empty (as events written before they were carried).
    ...(upcoming.length ? { upcoming: upcoming.map((v) => ({ from: v.from, rules: asSnapshotRules(v.rules) })) } : {}),
    ...(extraHours.length
      ? { extraHours: extraHours.map((e) => ({ from: e.startsAt.toISOString(), to: e.endsAt.toISOString(), slotMinutes: e.slotMinutes })) }
      : {}),
  };
}

type StoredRule = Pick<ScheduleRule, "dayOfWeek" | "startMinute" | "endMinute" | "slotMinutes">;

const asSnapshotRules = (rules: readonly StoredRule[]): DoctorScheduleSnapshot["rules"] =>
  [...rules].sort(compareRules).map((rule) => ({
    dayOfWeek: rule.dayOfWeek,
    startTime: formatTime(rule.startMinute),
    endTime: formatTime(rule.endMinute),
    slotMinutes: rule.slotMinutes,
  }));

/**
 * Catalogue events: MedicalServiceChanged and SpecialtyChanged, written in the transaction of the change (aggregate:
 * the entry, whose row the change has locked, so one entry's events keep their order), relayed with the others.
 */
export function createCatalogueEvents(tx: Prisma.TransactionClient): CatalogueEvents {
  return {
    serviceChanged: (payload, occurredAt) => writeEvent(tx, "MedicalServiceChanged", payload.serviceId, payload, occurredAt),
    specialtyChanged: (payload, occurredAt) => writeEvent(tx, "SpecialtyChanged", payload.specialtyId, payload, occurredAt),
  };
}
