/** Doctors' extra hours (UTC ranges cut into slots). */
import { randomUUID } from "node:crypto";
import type { ExtraHoursRepository, ExtraHoursWrites } from "../domain/ports.js";
import type { Db, Prisma } from "./prisma.js";

export function createExtraHoursRepository(db: Db): ExtraHoursRepository {
  return {
    ofDoctors: (doctorIds, endingAfter) =>
      db.extraHours.findMany({
        where: { doctorId: { in: [...doctorIds] }, endsAt: { gt: endingAfter } },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      }),
  };
}

export function createExtraHoursWrites(tx: Prisma.TransactionClient): ExtraHoursWrites {
  return {
    add: (doctorId, { startsAt, endsAt, slotMinutes }) => tx.extraHours.create({ data: { id: randomUUID(), doctorId, startsAt, endsAt, slotMinutes } }),
  };
}
