/** Offered minutes per doctor and day (analytics.supply_facts). */
import type { SupplyRepository } from "../domain/ports.js";
import type { PrismaClient } from "./prisma.js";

export function createSupplyRepository(prisma: PrismaClient): SupplyRepository {
  return {
    async replace(doctorId, fromDay, toDay, facts) {
      const days = [...facts.minutes.keys()];
      const minutes = days.map((day) => Math.round(facts.minutes.get(day)!));
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`
          DELETE FROM analytics.supply_facts
           WHERE doctor_id = ${doctorId}::uuid AND day BETWEEN ${fromDay}::date AND ${toDay}::date AND NOT (day::text = ANY(${days}::text[]))`;
        await tx.$executeRaw`
          INSERT INTO analytics.supply_facts (doctor_id, day, specialty_code, location, offered_minutes, updated_at)
          SELECT ${doctorId}::uuid, d::date, ${facts.specialtyCode}, ${facts.location}, m, now()
            FROM unnest(${days}::text[], ${minutes}::int[]) AS t(d, m)
          ON CONFLICT (doctor_id, day) DO UPDATE SET
            specialty_code = EXCLUDED.specialty_code, location = EXCLUDED.location, offered_minutes = EXCLUDED.offered_minutes, updated_at = now()`;
      });
    },
  };
}
