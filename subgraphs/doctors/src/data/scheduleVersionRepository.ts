/**
 * Effective-dated schedule versions: the weekly rules a doctor follows from a local day on. "Today" is each doctor's
 * own: the day of `now` in the doctor's time zone, computed by PostgreSQL from doctors.timezone (IANA names, which
 * PostgreSQL knows).
 */
import type { ScheduleVersionRepository, ScheduleVersionWrites } from "../domain/ports.js";
import type { ScheduleRule, ScheduleVersion } from "../domain/types.js";
import { randomUUID } from "node:crypto";
import type { Db, Prisma } from "./prisma.js";

interface VersionRow {
  doctor_id: string;
  effective_from: string;
  rules: unknown;
  template_id: string | null;
}

const toVersion = (row: VersionRow): ScheduleVersion => ({
  doctorId: row.doctor_id,
  from: row.effective_from,
  rules: row.rules as ScheduleRule[],
  templateId: row.template_id,
});

export function createScheduleVersionRepository(db: Db): ScheduleVersionRepository {
  return {
    async inForce(doctorIds, now) {
      const rows = await db.$queryRaw<VersionRow[]>`
        SELECT DISTINCT ON (v.doctor_id) v.doctor_id::text, v.effective_from::text, v.rules, v.template_id::text
        FROM doctors.schedule_versions v JOIN doctors.doctors d ON d.id = v.doctor_id
        WHERE v.doctor_id = ANY (${[...doctorIds]}::uuid[]) AND v.effective_from <= (${now}::timestamptz AT TIME ZONE d.timezone)::date
        ORDER BY v.doctor_id, v.effective_from DESC`;
      return rows.map(toVersion);
    },
    async upcoming(doctorIds, now) {
      const rows = await db.$queryRaw<VersionRow[]>`
        SELECT v.doctor_id::text, v.effective_from::text, v.rules, v.template_id::text
        FROM doctors.schedule_versions v JOIN doctors.doctors d ON d.id = v.doctor_id
        WHERE v.doctor_id = ANY (${[...doctorIds]}::uuid[]) AND v.effective_from > (${now}::timestamptz AT TIME ZONE d.timezone)::date
        ORDER BY v.doctor_id, v.effective_from`;
      return rows.map(toVersion);
    },
  };
}

export function createScheduleVersionWrites(tx: Prisma.TransactionClient): ScheduleVersionWrites {
  return {
    async fold(doctorId, today) {
      const [latest] = await tx.$queryRaw<VersionRow[]>`
        SELECT doctor_id::text, effective_from::text, rules, template_id::text FROM doctors.schedule_versions
        WHERE doctor_id = ${doctorId}::uuid AND effective_from <= ${today}::date ORDER BY effective_from DESC LIMIT 1`;
      if (!latest) return;
      const rules = latest.rules as ScheduleRule[];
      await tx.scheduleRule.deleteMany({ where: { doctorId } });
      if (rules.length) await tx.scheduleRule.createMany({ data: rules.map((rule) => ({ id: randomUUID(), doctorId, ...rule })) });
      await tx.$executeRaw`DELETE FROM doctors.schedule_versions WHERE doctor_id = ${doctorId}::uuid AND effective_from <= ${today}::date`;
    },
    async replaceFrom(doctorId, from, rules, templateId) {
      await tx.$executeRaw`DELETE FROM doctors.schedule_versions WHERE doctor_id = ${doctorId}::uuid AND effective_from >= ${from}::date`;
      const plain = rules.map(({ dayOfWeek, startMinute, endMinute, slotMinutes }) => ({ dayOfWeek, startMinute, endMinute, slotMinutes }));
      await tx.$executeRaw`INSERT INTO doctors.schedule_versions (doctor_id, effective_from, rules, template_id)
        VALUES (${doctorId}::uuid, ${from}::date, ${JSON.stringify(plain)}::jsonb, ${templateId}::uuid)`;
    },
    async dropUntil(doctorId, today) {
      await tx.$executeRaw`DELETE FROM doctors.schedule_versions WHERE doctor_id = ${doctorId}::uuid AND effective_from <= ${today}::date`;
    },
  };
}
