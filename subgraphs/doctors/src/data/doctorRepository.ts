/** Doctors: reads (by id, by user, filtered keyset pages) and the writes done inside a transaction. */
import { randomUUID } from "node:crypto";
import { alreadyDoctor } from "../domain/errors.js";
import type { DoctorListFilter, DoctorPosition, DoctorRepository, DoctorWrites } from "../domain/ports.js";
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
  if (after) and.push({ OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] });
  return { AND: and };
}

export function createDoctorRepository(db: Db): DoctorRepository {
  return {
    findById: (id) => db.doctor.findUnique({ where: { id } }),
    findByIds: (ids) => db.doctor.findMany({ where: { id: { in: [...ids] } } }),
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
  };
}
