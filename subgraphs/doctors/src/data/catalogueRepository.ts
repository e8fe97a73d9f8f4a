/** Specialties and the medical services catalogue (reference data, seeded by migration). */
import type { CatalogueRepository } from "../domain/ports.js";
import type { ServiceKind } from "../domain/types.js";
import type { Db } from "./prisma.js";

interface ServiceOfDoctorRow {
  doctor_id: string;
  id: string;
  code: string;
  name: string;
  kind: ServiceKind;
  duration_minutes: number;
}

export function createCatalogueRepository(db: Db): CatalogueRepository {
  return {
    listSpecialties: () => db.specialty.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] }),
    specialtiesByIds: (ids) => db.specialty.findMany({ where: { id: { in: [...ids] } } }),
    findSpecialtyByCode: (code) => db.specialty.findUnique({ where: { code } }),
    listServices: (kind) => db.medicalService.findMany({ where: kind ? { kind } : {}, orderBy: [{ kind: "asc" }, { name: "asc" }, { id: "asc" }] }),
    servicesByIds: (ids) => db.medicalService.findMany({ where: { id: { in: [...ids] } } }),
    servicesByCodes: (codes) => db.medicalService.findMany({ where: { code: { in: [...codes] } } }),
    async servicesOfDoctors(doctorIds) {
      // One statement (a Prisma `include` would take two).
      const rows = await db.$queryRaw<ServiceOfDoctorRow[]>`
        SELECT ds."doctor_id", s."id", s."code", s."name", s."kind"::text AS "kind", s."duration_minutes"
        FROM "doctors"."doctor_services" ds
        JOIN "doctors"."medical_services" s ON s."id" = ds."service_id"
        WHERE ds."doctor_id" = ANY(${[...doctorIds]}::uuid[])
        ORDER BY s."name", s."id"`;
      return rows.map((row) => ({
        doctorId: row.doctor_id,
        service: { id: row.id, code: row.code, name: row.name, kind: row.kind, durationMinutes: row.duration_minutes },
      }));
    },
  };
}
