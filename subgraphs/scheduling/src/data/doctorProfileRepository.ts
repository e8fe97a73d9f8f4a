/** Scheduling's copy of each doctor (doctor_profiles), kept by the schedule sync (domain/syncDoctor.ts). */
import type { Sql } from "@clinigraph/platform";
import type { DoctorProfileRepository } from "../domain/ports.js";

export function createDoctorProfileRepository(db: Sql): DoctorProfileRepository {
  return {
    async bookingProfile(doctorId) {
      const { rows } = await db.query<{ timezone: string; auto_approve: boolean; service_ids: string[]; active: boolean }>(
        `SELECT timezone, auto_approve, service_ids, active FROM scheduling.doctor_profiles WHERE doctor_id = $1`,
        [doctorId],
      );
      const profile = rows[0];
      return profile
        ? { doctorId, timezone: profile.timezone, autoApprove: profile.auto_approve, serviceIds: profile.service_ids, active: profile.active }
        : null;
    },
    async doctorIdOfUser(userId) {
      const { rows } = await db.query<{ doctor_id: string }>(`SELECT doctor_id FROM scheduling.doctor_profiles WHERE user_id = $1 LIMIT 1`, [userId]);
      return rows[0]?.doctor_id ?? null;
    },
    async offering(serviceId) {
      const { rows } = await db.query<{ doctor_id: string }>(`SELECT doctor_id FROM scheduling.doctor_profiles WHERE $1::uuid = ANY (service_ids)`, [
        serviceId,
      ]);
      return rows.map((row) => row.doctor_id);
    },
    async names(doctorIds) {
      const { rows } = await db.query<{ doctor_id: string; name: string }>(
        `SELECT doctor_id, name FROM scheduling.doctor_profiles WHERE doctor_id = ANY ($1::uuid[])`,
        [doctorIds],
      );
      return new Map(rows.map((row) => [row.doctor_id, row.name]));
    },
    async setActive(doctorId, active) {
      const { rowCount } = await db.query(`UPDATE scheduling.doctor_profiles SET active = $2 WHERE doctor_id = $1`, [doctorId, active]);
      return (rowCount ?? 0) > 0;
    },
    async save({ doctorId, userId, name, timezone, autoApprove, specialtyCode, location, serviceIds, rules, timeOff, version, syncedAt, active }) {
      const { rows: previous } = await db.query<{ specialty_code: string; location: string | null }>(
        `SELECT specialty_code, location FROM scheduling.doctor_profiles WHERE doctor_id = $1`,
        [doctorId],
      );
      await db.query(
        `INSERT INTO scheduling.doctor_profiles (doctor_id, user_id, name, timezone, auto_approve, specialty_code, location, service_ids, rules, time_off, version, synced_at, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9::jsonb, $10::jsonb, $11, $12, $13)
         ON CONFLICT (doctor_id) DO UPDATE SET user_id = EXCLUDED.user_id, name = EXCLUDED.name, timezone = EXCLUDED.timezone,
           auto_approve = EXCLUDED.auto_approve, specialty_code = EXCLUDED.specialty_code, location = EXCLUDED.location,
           service_ids = EXCLUDED.service_ids, rules = EXCLUDED.rules, time_off = EXCLUDED.time_off, version = EXCLUDED.version,
           synced_at = EXCLUDED.synced_at, active = EXCLUDED.active`,
        [
          doctorId,
          userId,
          name,
          timezone,
          autoApprove,
          specialtyCode,
          location,
          serviceIds,
          JSON.stringify(rules),
          JSON.stringify(timeOff),
          version,
          syncedAt,
          active,
        ],
      );
      const before = previous[0];
      return before ? { specialtyCode: before.specialty_code, location: before.location } : null;
    },
  };
}
