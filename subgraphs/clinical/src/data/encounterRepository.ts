/** clinical.encounters: the EncounterRepository port (summary and refusal reason sealed at rest). */
import { randomUUID } from "node:crypto";
import { isUuid, type FieldCipher } from "@clinigraph/platform";
import type { EncounterRepository } from "../domain/ports.js";
import { seal, toEncounter } from "./mappers.js";
import type { Prisma, Tx } from "./prisma.js";

export function createEncounterRepository(db: Tx, cipher: FieldCipher): EncounterRepository {
  const open = (row: Prisma.EncounterGetPayload<object>) => toEncounter(cipher, row);
  return {
    async byId(id) {
      const row = await db.encounter.findUnique({ where: { id } });
      return row ? open(row) : null;
    },
    async byIds(ids) {
      return (await db.encounter.findMany({ where: { id: { in: ids.filter(isUuid) } } })).map(open);
    },
    async byAppointment(appointmentId) {
      const row = await db.encounter.findUnique({ where: { appointmentId } });
      return row ? open(row) : null;
    },
    async list({ from, to, doctorId, doctorUserId, status }, limit) {
      const where: Prisma.EncounterWhereInput = { arrivedAt: { gte: from, lt: to } };
      if (doctorId !== undefined) where.doctorId = doctorId;
      if (doctorUserId !== undefined) where.doctorUserId = doctorUserId;
      if (status !== undefined) where.status = status;
      return (await db.encounter.findMany({ where, orderBy: [{ arrivedAt: "asc" }, { id: "asc" }], take: limit })).map(open);
    },
    async ofPatient(patientId) {
      return (await db.encounter.findMany({ where: { patientId }, orderBy: [{ arrivedAt: "desc" }, { id: "asc" }] })).map(open);
    },
    async patientsTreatedBy(doctorUserId, patientIds) {
      const rows = await db.encounter.findMany({
        where: { doctorUserId, patientId: { in: [...patientIds] } },
        select: { patientId: true },
        distinct: ["patientId"],
      });
      return rows.map((r) => r.patientId);
    },
    async lock(id, mode = "update") {
      const locked =
        mode === "share"
          ? await db.$queryRaw<{ id: string }[]>`SELECT id FROM clinical.encounters WHERE id = ${id}::uuid FOR SHARE`
          : await db.$queryRaw<{ id: string }[]>`SELECT id FROM clinical.encounters WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) return null;
      return open(await db.encounter.findUniqueOrThrow({ where: { id } }));
    },
    async add(e) {
      return open(await db.encounter.create({ data: { id: randomUUID(), ...e, status: "ARRIVED" } }));
    },
    async createForAppointment(e) {
      const { count } = await db.encounter.createMany({ data: [{ id: randomUUID(), ...e, status: "ARRIVED" }], skipDuplicates: true });
      const row = await db.encounter.findUniqueOrThrow({ where: { appointmentId: e.appointmentId } });
      return { encounter: open(row), created: count === 1 };
    },
    async change(id, version, change, at) {
      const { summary, refusalReason, ...plain } = change;
      const data: Prisma.EncounterUpdateManyMutationInput = { ...plain, version: { increment: 1 }, updatedAt: at };
      if (summary !== undefined) data.summaryEnc = seal(cipher, summary);
      if (refusalReason !== undefined) data.refusalReasonEnc = seal(cipher, refusalReason);
      const { count } = await db.encounter.updateMany({ where: { id, version }, data });
      if (count !== 1) return null;
      return open(await db.encounter.findUniqueOrThrow({ where: { id } }));
    },
  };
}
