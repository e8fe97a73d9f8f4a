/** clinical.exam_worklist: the examiners' worklist read model. */
import type { WorklistRepository } from "../domain/ports.js";
import type { Tx } from "./prisma.js";

export const createWorklistRepository = (db: Tx): WorklistRepository => ({
  async ordered(limit) {
    const items = await db.worklistItem.findMany({
      where: { status: "ORDERED" },
      orderBy: [{ orderedAt: "asc" }, { examinationId: "asc" }],
      take: limit,
      select: { examinationId: true },
    });
    return items.map((i) => i.examinationId);
  },
  async apply(x, at) {
    // A row moves forward only: ORDERED (0) < PERFORMED | CANCELLED (1) < REVIEWED (2).
    await db.$executeRaw`
      INSERT INTO clinical.exam_worklist AS w (examination_id, encounter_id, patient_id, service_id, status, ordered_at, updated_at)
      VALUES (${x.examinationId}::uuid, ${x.encounterId}::uuid, ${x.patientId}::uuid, ${x.serviceId}::uuid,
              ${x.status}::clinical."ExaminationStatus", ${x.orderedAt}::timestamptz, ${at}::timestamptz)
      ON CONFLICT (examination_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
      WHERE (CASE EXCLUDED.status::text WHEN 'ORDERED' THEN 0 WHEN 'PERFORMED' THEN 1 WHEN 'CANCELLED' THEN 1 WHEN 'REVIEWED' THEN 2 END)
          > (CASE w.status::text WHEN 'ORDERED' THEN 0 WHEN 'PERFORMED' THEN 1 WHEN 'CANCELLED' THEN 1 WHEN 'REVIEWED' THEN 2 END)`;
  },
});
