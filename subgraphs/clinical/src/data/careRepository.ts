/** clinical.care_relationships: clinical's own projection of which doctor cares for which patient. */
import { isUuid } from "@clinigraph/platform";
import type { CareRepository } from "../domain/ports.js";
import type { Tx } from "./prisma.js";

export const createCareRepository = (db: Tx): CareRepository => ({
  async record(care) {
    await db.careRelationship.createMany({ data: [care], skipDuplicates: true });
  },
  exists: async (doctorUserId, patientId) => (await db.careRelationship.count({ where: { doctorUserId, patientId } })) > 0,
  async patientsOf(doctorUserId, patientIds) {
    const rows = await db.careRelationship.findMany({ where: { doctorUserId, patientId: { in: patientIds.filter(isUuid) } }, select: { patientId: true } });
    return rows.map((r) => r.patientId);
  },
});
