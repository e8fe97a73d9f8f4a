/**
 * Catalogue writes inside a transaction (see CatalogueWrites for the lock order). Codes are unique by index: a
 * concurrent create of the same code fails on it, and gets CONFLICT ALREADY_EXISTS.
 */
import { randomUUID } from "node:crypto";
import { conflict } from "@clinigraph/platform";
import type { CatalogueWrites } from "../domain/ports.js";
import type { MedicalService, Specialty } from "../domain/types.js";
import { isUniqueViolation, type Prisma } from "./prisma.js";

const codeTaken = () => conflict("This code is already taken", "ALREADY_EXISTS", "input.code");

function onCodeTaken(err: unknown): never {
  throw isUniqueViolation(err, "code") ? codeTaken() : err;
}

interface SpecialtyRow {
  id: string;
  code: string;
  name: string;
  status: Specialty["status"];
  retired_at: Date | null;
}

interface ServiceRow extends SpecialtyRow {
  kind: MedicalService["kind"];
  duration_minutes: number;
}

const toSpecialty = (r: SpecialtyRow): Specialty => ({ id: r.id, code: r.code, name: r.name, status: r.status, retiredAt: r.retired_at });
const toService = (r: ServiceRow): MedicalService => ({ ...toSpecialty(r), kind: r.kind, durationMinutes: r.duration_minutes });

export function createCatalogueWrites(tx: Prisma.TransactionClient): CatalogueWrites {
  return {
    addSpecialty: (data) => tx.specialty.create({ data: { id: randomUUID(), ...data } }).catch(onCodeTaken),
    async lockSpecialty(id) {
      const [row] = await tx.$queryRaw<SpecialtyRow[]>`
        SELECT "id"::text, "code", "name", "status"::text AS "status", "retired_at"
        FROM "doctors"."specialties" WHERE "id" = ${id}::uuid FOR UPDATE`;
      return row ? toSpecialty(row) : null;
    },
    changeSpecialty: (id, patch) => tx.specialty.update({ where: { id }, data: patch }),
    doctorsWithSpecialty: (id) => tx.doctor.count({ where: { specialtyId: id } }),
    addService: (data) => tx.medicalService.create({ data: { id: randomUUID(), ...data } }).catch(onCodeTaken),
    async lockService(id) {
      const [row] = await tx.$queryRaw<ServiceRow[]>`
        SELECT "id"::text, "code", "name", "status"::text AS "status", "retired_at", "kind"::text AS "kind", "duration_minutes"
        FROM "doctors"."medical_services" WHERE "id" = ${id}::uuid FOR UPDATE`;
      return row ? toService(row) : null;
    },
    changeService: (id, patch) => tx.medicalService.update({ where: { id }, data: patch }),
    async doctorsOffering(serviceId) {
      const rows = await tx.doctorService.findMany({ where: { serviceId }, select: { doctorId: true }, orderBy: { doctorId: "asc" } });
      return rows.map((row) => row.doctorId);
    },
    async removeServiceFromDoctors(serviceId) {
      await tx.doctorService.deleteMany({ where: { serviceId } });
    },
    async retiredAmong(specialtyIds, serviceIds) {
      // Sorted, so that two transactions share-locking overlapping entries take the locks in one order.
      const specialties = specialtyIds.length
        ? await tx.$queryRaw<SpecialtyRow[]>`
            SELECT "id"::text, "code", "name", "status"::text AS "status", "retired_at" FROM "doctors"."specialties"
            WHERE "id" = ANY(${[...specialtyIds]}::uuid[]) ORDER BY "id" FOR SHARE`
        : [];
      const services = serviceIds.length
        ? await tx.$queryRaw<ServiceRow[]>`
            SELECT "id"::text, "code", "name", "status"::text AS "status", "retired_at", "kind"::text AS "kind", "duration_minutes"
            FROM "doctors"."medical_services" WHERE "id" = ANY(${[...serviceIds]}::uuid[]) ORDER BY "id" FOR SHARE`
        : [];
      return {
        specialties: specialties.filter((r) => r.status === "RETIRED").map(toSpecialty),
        services: services.filter((r) => r.status === "RETIRED").map(toService),
      };
    },
  };
}
