/** Appointment history (appointment_changes), listed by insertion order (`seq`): several changes may share one instant. */
import { randomUUID } from "node:crypto";
import type { HistoryRepository } from "../domain/ports.js";
import { seal, toChange, type CipherSource } from "./mappers.js";
import type { Tx } from "./prisma.js";

export function createHistoryRepository(db: Tx, cipher: CipherSource): HistoryRepository {
  return {
    async record(appointmentId, change, at) {
      await db.appointmentChange.create({
        data: {
          id: randomUUID(),
          appointmentId,
          at,
          actorId: change.actorId,
          actorRole: change.actorRole,
          action: change.action,
          fromStatus: change.fromStatus,
          toStatus: change.toStatus,
          fromStartsAt: change.fromStartsAt ?? null,
          toStartsAt: change.toStartsAt ?? null,
          reasonEnc: seal(cipher(), change.reason),
        },
      });
    },
    statusChanges(appointmentId) {
      return db.appointmentChange.findMany({ where: { appointmentId }, orderBy: { seq: "asc" }, select: { at: true, fromStatus: true, toStatus: true } });
    },
    async ofAppointments(ids) {
      const rows = await db.appointmentChange.findMany({ where: { appointmentId: { in: [...ids] } }, orderBy: [{ seq: "asc" }] });
      return rows.map((row) => toChange(row, cipher()));
    },
  };
}
