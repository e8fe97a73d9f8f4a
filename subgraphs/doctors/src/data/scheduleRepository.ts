/** Weekly schedule rules (templates the scheduling subgraph turns into slots). */
import { randomUUID } from "node:crypto";
import type { ScheduleRepository, ScheduleWrites } from "../domain/ports.js";
import type { Db, Prisma } from "./prisma.js";

export function createScheduleRepository(db: Db): ScheduleRepository {
  return {
    rulesOfDoctors: (doctorIds) =>
      db.scheduleRule.findMany({
        where: { doctorId: { in: [...doctorIds] } },
        select: { doctorId: true, dayOfWeek: true, startMinute: true, endMinute: true, slotMinutes: true },
      }),
  };
}

export function createScheduleWrites(tx: Prisma.TransactionClient): ScheduleWrites {
  return {
    async replace(doctorId, rules) {
      await tx.scheduleRule.deleteMany({ where: { doctorId } });
      if (rules.length) await tx.scheduleRule.createMany({ data: rules.map((rule) => ({ id: randomUUID(), doctorId, ...rule })) });
    },
  };
}
