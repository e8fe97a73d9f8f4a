/** Doctors' time off (UTC ranges). */
import { randomUUID } from "node:crypto";
import type { TimeOff } from "../domain/types.js";
import type { ValidTimeOff } from "../domain/timeOff.js";
import type { Db, Prisma } from "./prisma.js";

export interface TimeOffRepository {
  /** Time off of each of `doctorIds` that ends after `endingAfter`, ordered by start, in one query. */
  ofDoctors(doctorIds: readonly string[], endingAfter: Date): Promise<TimeOff[]>;
}

export interface TimeOffWrites {
  add(doctorId: string, timeOff: ValidTimeOff): Promise<TimeOff>;
}

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
