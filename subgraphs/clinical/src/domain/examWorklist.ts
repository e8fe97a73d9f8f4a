/**
 * The examiners' worklist (issue 6 §2 and §4): a read model (clinical.exam_worklist) of clinical's own
 * examination events, kept by the consumer in events/worklist.ts. Ordering an examination never writes
 * here, so orders are accepted while the examiners' side is down; the worklist catches up from the stream.
 *
 * `applyExaminationEvent` is idempotent twice over: the event id is recorded in clinical.processed_events
 * in the same transaction (a redelivery does nothing), and a row only moves forward in the examination's
 * life (a replayed dead letter arriving after a later event of the same examination changes nothing).
 */
import type { CatalogueEnvelope, ExaminationEventType } from "@clinigraph/events";
import { badInput, forbidden, inTransaction } from "@clinigraph/platform";
import { toExamination } from "../data/mappers.js";
import type { ClinicalDeps } from "./deps.js";
import type { Actor, Examination } from "./types.js";

/** Status order: a worklist row never moves back (ORDERED < PERFORMED | CANCELLED < REVIEWED). */
const RANK_SQL = `CASE $STATUS WHEN 'ORDERED' THEN 0 WHEN 'PERFORMED' THEN 1 WHEN 'CANCELLED' THEN 1 WHEN 'REVIEWED' THEN 2 END`;
const rank = (column: string) => RANK_SQL.replace("$STATUS", column);

const STATUSES = new Set(["ORDERED", "PERFORMED", "CANCELLED", "REVIEWED"]);

/** Applies one examination event to the worklist; false when it was applied before (or is not for it). */
export async function applyExaminationEvent(
  deps: Pick<ClinicalDeps, "prisma" | "clock">,
  consumer: string,
  event: CatalogueEnvelope<ExaminationEventType>,
): Promise<boolean> {
  const x = event.data;
  if (!STATUSES.has(x.status)) return false;
  return inTransaction(deps.prisma, async (tx) => {
    const fresh = await tx.$executeRaw`
      INSERT INTO clinical.processed_events (consumer, event_id) VALUES (${consumer}, ${event.id}) ON CONFLICT DO NOTHING`;
    if (fresh === 0) return false;
    await tx.$executeRawUnsafe(
      `INSERT INTO clinical.exam_worklist AS w (examination_id, encounter_id, patient_id, service_id, status, ordered_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::clinical."ExaminationStatus", $6::timestamptz, $7::timestamptz)
       ON CONFLICT (examination_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
       WHERE ${rank("EXCLUDED.status::text")} > ${rank("w.status::text")}`,
      x.examinationId,
      x.encounterId,
      x.patientId,
      x.serviceId,
      x.status,
      x.orderedAt,
      deps.clock(),
    );
    return true;
  });
}

export const WORKLIST_DEFAULT = 50;
export const WORKLIST_MAX = 200;

/**
 * ORDERED examinations, oldest order first, for examiners and admins. Rows come from the read model; each
 * is answered from the examination itself, and one the read model has not caught up with (already
 * performed or cancelled) is left out.
 */
export async function examinationWorklist(deps: ClinicalDeps, actor: Actor, first?: number | null): Promise<Examination[]> {
  if (actor.role !== "EXAMINER" && actor.role !== "ADMIN") throw forbidden("The examination worklist is for examiners");
  if (first !== null && first !== undefined && (!Number.isInteger(first) || first < 1 || first > WORKLIST_MAX))
    throw badInput(`first must be between 1 and ${WORKLIST_MAX}`, "first");
  const take = first ?? WORKLIST_DEFAULT;
  const items = await deps.prisma.worklistItem.findMany({
    where: { status: "ORDERED" },
    orderBy: [{ orderedAt: "asc" }, { examinationId: "asc" }],
    take,
    select: { examinationId: true },
  });
  const rows = await deps.prisma.examination.findMany({ where: { id: { in: items.map((i) => i.examinationId) }, status: "ORDERED" } });
  const byId = new Map(rows.map((r) => [r.id, toExamination(deps.cipher, r)]));
  return items.flatMap((i) => byId.get(i.examinationId) ?? []);
}
