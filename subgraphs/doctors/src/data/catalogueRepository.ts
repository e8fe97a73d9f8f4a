/** Specialties and the medical services catalogue (seeded by migration, edited by ADMIN; see catalogueWrites.ts). */
import type { CatalogueRepository } from "../domain/ports.js";
import type { CatalogueStatus, ServiceKind } from "../domain/types.js";
import type { Db } from "./prisma.js";

interface ServiceOfDoctorRow {
  doctor_id: string;
  id: string;
  code: string;
  name: string;
  kind: ServiceKind;
  duration_minutes: number;
  status: CatalogueStatus;
  retired_at: Date | null;
}

export function createCatalogueRepository(db: Db): CatalogueRepository {
  return {
    listSpecialties: (includeRetired = false) =>
      db.specialty.findMany({ where: includeRetired ? {} : { status: "ACTIVE" }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
    specialtiesByIds: (ids) => db.specialty.findMany({ where: { id: { in: [...ids] } } }),
    findSpecialtyByCode: (code) => db.specialty.findUnique({ where: { code } }),
    listServices: (kind, includeRetired = false) =>
      db.medicalService.findMany({
        where: { ...(kind ? { kind } : {}), ...(includeRetired ? {} : { status: "ACTIVE" as const }) },
        orderBy: [{ kind: "asc" }, { name: "asc" }, { id: "asc" }],
      }),
    servicesByIds: (ids) => db.medicalService.findMany({ where: { id: { in: [...ids] } } }),
    servicesByCodes: (codes) => db.medicalService.findMany({ where: { code: { in: [...codes] } } }),
    async servicesOfDoctors(doctorIds) {
      // One statement (a Prisma `include` would take two).
      const rows = await db.$queryRaw<ServiceOfDoctorRow[]>`
        SELECT ds."doctor_id", s."id", s."code", s."name", s."kind"::text AS "kind", s."duration_minutes",
          s."status"::text AS "status", s."retired_at"
        FROM "doctors"."doctor_services" ds
        JOIN "doctors"."medical_services" s ON s."id" = ds."service_id"
        WHERE ds."doctor_id" = ANY(${[...doctorIds]}::uuid[])
        ORDER BY s."name", s."id"`;
      return rows.map((row) => ({
        doctorId: row.doctor_id,
        service: {
          id: row.id,
          code: row.code,
          name: row.name,
          kind: row.kind,
          durationMinutes: row.duration_minutes,
          status: row.status,
          retiredAt: row.retired_at,
        },
      }));
    },
  };
}
