/** Doctors' time off (UTC ranges). */
import { randomUUID } from "node:crypto";
import type { TimeOffRepository, TimeOffWrites } from "../domain/ports.js";
import type { Db, Prisma } from "./prisma.js";

export function createTimeOffRepository(db: Db): TimeOffRepository {
  return {
    ofDoctors: (doctorIds, endingAfter) =>
      db.timeOff.findMany({
        where: { doctorId: { in: [...doctorIds] }, endsAt: { gt: endingAfter } },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      }),
  };
}

export function createTimeOffWrites(tx: Prisma.TransactionClient): TimeOffWrites {
  return {
    add: (doctorId, { startsAt, endsAt, reason }) => tx.timeOff.create({ data: { id: randomUUID(), doctorId, startsAt, endsAt, reason } }),
  };
}
