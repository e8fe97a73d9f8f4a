/**
 * The examiners' worklist: a read model (clinical.exam_worklist) of clinical's own
 * examination events, kept by the consumer in events/consumers/worklist.ts. Ordering an examination never writes
 * here, so orders are accepted while the examiners' side is down; the worklist catches up from the stream.
 *
 * `applyExaminationEvent` is idempotent twice over: the event id is recorded in clinical.processed_events
 * in the same transaction (a redelivery does nothing), and a row only moves forward in the examination's
 * life (a replayed dead letter arriving after a later event of the same examination changes nothing).
 */
import type { CatalogueEnvelope, ExaminationEventType } from "@clinigraph/events";
import { badInput, forbidden } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { Actor, Examination, ExaminationStatus } from "./types.js";

const STATUSES: ReadonlySet<string> = new Set<ExaminationStatus>(["ORDERED", "PERFORMED", "CANCELLED", "REVIEWED"]);

/** Applies one examination event to the worklist; false when it was applied before (or is not for it). */
export async function applyExaminationEvent(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  consumer: string,
  event: CatalogueEnvelope<ExaminationEventType>,
): Promise<boolean> {
  const x = event.data;
  if (!STATUSES.has(x.status)) return false;
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.processed.claim(consumer, event.id))) return false;
    await tx.worklist.apply(
      {
        examinationId: x.examinationId,
        encounterId: x.encounterId,
        patientId: x.patientId,
        serviceId: x.serviceId,
        status: x.status as ExaminationStatus,
        orderedAt: x.orderedAt,
      },
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
export async function examinationWorklist(
  deps: Pick<Deps, "worklist" | "examinations">,
  actor: Actor,
  input: { first?: number | null },
): Promise<Examination[]> {
  const { first } = input;
  if (actor.role !== "EXAMINER" && actor.role !== "ADMIN") throw forbidden("The examination worklist is for examiners");
  if (first !== null && first !== undefined && (!Number.isInteger(first) || first < 1 || first > WORKLIST_MAX))
    throw badInput(`first must be between 1 and ${WORKLIST_MAX}`, "first");
  const ids = await deps.worklist.ordered(first ?? WORKLIST_DEFAULT);
  const byId = new Map((await deps.examinations.byIds(ids, "ORDERED")).map((x) => [x.id, x]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
