/**
 * Doctors: reads (by id, by user, filtered keyset pages) and the writes done inside a transaction. Reading doctors by
 * id is the most frequent call the other subgraphs cause (every slot, appointment or encounter list names its
 * doctors through `_entities`): those two reads are hand-written SQL over the pool, without Prisma's query engine.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "@clinigraph/platform";
import { alreadyDoctor } from "../domain/errors.js";
import type { DoctorListFilter, DoctorPosition, DoctorRepository, DoctorWrites } from "../domain/ports.js";
import type { Doctor } from "../domain/types.js";
import { isUniqueViolation, type Db, type Prisma } from "./prisma.js";

/** LIKE pattern characters are literal in a search term. */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (term: string) => ({ contains: escapeLike(term), mode: "insensitive" as const });

function whereOf(filter: DoctorListFilter, after: DoctorPosition | null): Prisma.DoctorWhereInput {
  const and: Prisma.DoctorWhereInput[] = [];
  if (filter.specialtyId) and.push({ specialtyId: filter.specialtyId });
  if (filter.serviceId) and.push({ services: { some: { serviceId: filter.serviceId } } });
  if (filter.location) and.push({ location: contains(filter.location) });
  if (filter.name) and.push({ name: contains(filter.name) });
  // The public search lists active doctors only; `doctor(id)` still finds a deactivated one.
  and.push({ active: true });
  if (after) and.push({ OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] });
  return { AND: and };
}

const DOCTOR_COLUMNS = `"id", "user_id", "name", "specialty_id", "license_number", "bio", "location", "timezone", "auto_approve", "active", "deactivated_at", "created_at", "updated_at"`;

interface DoctorRow {
  id: string;
  user_id: string;
  name: string;
  specialty_id: string;
  license_number: string | null;
  bio: string | null;
  location: string | null;
  timezone: string;
  auto_approve: boolean;
  active: boolean;
  deactivated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toDoctor = (row: DoctorRow): Doctor => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  specialtyId: row.specialty_id,
  licenseNumber: row.license_number,
  bio: row.bio,
  location: row.location,
  timezone: row.timezone,
  autoApprove: row.auto_approve,
  active: row.active,
  deactivatedAt: row.deactivated_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createDoctorRepository(db: Db, sql: Sql): DoctorRepository {
  const byIds = async (ids: readonly string[]) =>
    (await sql.query<DoctorRow>(`SELECT ${DOCTOR_COLUMNS} FROM "doctors"."doctors" WHERE "id" = ANY ($1::uuid[])`, [[...ids]])).rows.map(toDoctor);
  return {
    findById: async (id) => (await byIds([id]))[0] ?? null,
    findByIds: byIds,
    findByUserId: (userId) => db.doctor.findUnique({ where: { userId } }),
    list: (filter, after, limit) => db.doctor.findMany({ where: whereOf(filter, after), orderBy: [{ name: "asc" }, { id: "asc" }], take: limit }),
  };
}

export function createDoctorWrites(tx: Prisma.TransactionClient): DoctorWrites {
  return {
    async lock(id) {
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "doctors"."doctors" WHERE "id" = ${id}::uuid FOR UPDATE`;
      return rows.length > 0;
    },
    async add(data, serviceIds) {
      const doctor = await tx.doctor.create({ data: { id: randomUUID(), ...data } }).catch((err: unknown) => {
        throw isUniqueViolation(err, "user_id") ? alreadyDoctor() : err;
      });
      if (serviceIds.length) await tx.doctorService.createMany({ data: serviceIds.map((serviceId) => ({ doctorId: doctor.id, serviceId })) });
      return doctor;
    },
    async change(id, patch, serviceIds) {
      if (serviceIds) {
        await tx.doctorService.deleteMany({ where: { doctorId: id } });
        if (serviceIds.length) await tx.doctorService.createMany({ data: serviceIds.map((serviceId) => ({ doctorId: id, serviceId })) });
      }
      // Always touch updated_at, also when only the services changed.
      return tx.doctor.update({ where: { id }, data: { ...patch, updatedAt: new Date() } });
    },
    setStatus: (id, { active, at, reason }) =>
      tx.doctor.update({
        where: { id },
        data: active
          ? { active, deactivatedAt: null, deactivationReason: null, statusChangedAt: at, updatedAt: at }
          : { active, deactivatedAt: at, deactivationReason: reason, statusChangedAt: at, updatedAt: at },
      }),
    async status(id) {
      const row = await tx.doctor.findUnique({ where: { id }, select: { active: true, statusChangedAt: true } });
      return row ? { active: row.active, changedAt: row.statusChangedAt } : null;
    },
  };
}
