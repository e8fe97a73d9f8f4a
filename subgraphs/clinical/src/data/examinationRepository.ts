/** clinical.examinations: the ExaminationRepository port (result and cancellation reason sealed at rest). */
import { randomUUID } from "node:crypto";
import { isUuid, type FieldCipher } from "@clinigraph/platform";
import type { ExaminationRepository } from "../domain/ports.js";
import { seal, toExamination } from "./mappers.js";
import type { Prisma, Tx } from "./prisma.js";

export function createExaminationRepository(db: Tx, cipher: FieldCipher): ExaminationRepository {
  const open = (row: Prisma.ExaminationGetPayload<object>) => toExamination(cipher, row);
  return {
    async byId(id) {
      const row = await db.examination.findUnique({ where: { id } });
      return row ? open(row) : null;
    },
    async byIds(ids, status) {
      return (await db.examination.findMany({ where: { id: { in: ids.filter(isUuid) }, ...(status ? { status } : {}) } })).map(open);
    },
    async ofEncounters(encounterIds) {
      const rows = await db.examination.findMany({ where: { encounterId: { in: [...encounterIds] } }, orderBy: [{ orderedAt: "asc" }, { id: "asc" }] });
      return rows.map(open);
    },
    async ofPatient(patientId) {
      return (await db.examination.findMany({ where: { patientId }, orderBy: [{ orderedAt: "desc" }, { id: "asc" }] })).map(open);
    },
    async ordered(encounterId) {
      const rows = await db.examination.findMany({ where: { encounterId, status: "ORDERED" }, orderBy: [{ orderedAt: "asc" }, { id: "asc" }] });
      return rows.map(open);
    },
    countOrdered: (encounterId, serviceId) => db.examination.count({ where: { encounterId, status: "ORDERED", ...(serviceId ? { serviceId } : {}) } }),
    async encounterIdOf(id) {
      return (await db.examination.findUnique({ where: { id }, select: { encounterId: true } }))?.encounterId ?? null;
    },
    async lock(id) {
      const locked = await db.$queryRaw<{ id: string }[]>`SELECT id FROM clinical.examinations WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) return null;
      return open(await db.examination.findUniqueOrThrow({ where: { id } }));
    },
    async add(x) {
      return open(await db.examination.create({ data: { id: randomUUID(), ...x, status: "ORDERED", updatedAt: x.orderedAt } }));
    },
    async change(id, expected, change, at) {
      const { result, cancelReason, ...plain } = change;
      const data: Prisma.ExaminationUpdateManyMutationInput = { ...plain, version: { increment: 1 }, updatedAt: at };
      if (result !== undefined) data.resultEnc = seal(cipher, result);
      if (cancelReason !== undefined) data.cancelReasonEnc = seal(cipher, cancelReason);
      const { count } = await db.examination.updateMany({ where: { id, version: expected.version, status: expected.status }, data });
      if (count !== 1) return null;
      return open(await db.examination.findUniqueOrThrow({ where: { id } }));
    },
  };
}
