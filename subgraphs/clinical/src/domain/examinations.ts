/**
 * Examination use cases: the treating doctor orders an examination from the medical services
 * catalogue while the encounter is IN_PROGRESS; an examiner performs it (result) or cancels it (reason),
 * the ordering doctor may cancel it too (e.g. to finish the visit) and reviews the result.
 *
 * Every change is one transaction: the encounter row locked (FOR UPDATE to order, as finish/refuse do;
 * FOR SHARE to change an examination, so examinations of one visit change side by side but never while
 * the visit finishes or is refused), the examination row locked, a compare-and-set on its `version`, and
 * the outbox event. Results and reasons are sealed with the field cipher; events carry no clinical text.
 *
 * Ordering writes nothing but the examination and its event: the examiners' worklist is a read model fed
 * from those events (events/consumers/worklist.ts), so orders are accepted while the examiners' side is down.
 */
import { badInput, conflict, notFound, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { assertCan as assertEncounterAllows } from "./encounterMachine.js";
import { lockEncounter, requireId, requireText } from "./encounters.js";
import { examinationPayload } from "./eventPayloads.js";
import { assertCan, isOrderableKind, TARGET, type ExaminationAction } from "./examinationMachine.js";
import { DoctorsUnavailable, type ExaminationChange, type MedicalServiceRef, type TransactionRepositories } from "./ports.js";
import { assertCanReadEncounter } from "./policy.js";
import type { Actor, Encounter, Examination } from "./types.js";

export const RESULT_MAX = 20_000;
export const REASON_MAX = 2_000;

const EVENT = { PERFORM: "ExaminationPerformed", CANCEL: "ExaminationCancelled", REVIEW: "ExaminationReviewed" } as const;

async function catalogueService(deps: Pick<Deps, "doctors">, serviceId: string): Promise<MedicalServiceRef> {
  let service: MedicalServiceRef | null;
  try {
    service = await deps.doctors.service(serviceId);
  } catch (err) {
    if (err instanceof DoctorsUnavailable) throw serviceUnavailable("The medical services catalogue is unavailable; try again shortly");
    throw err;
  }
  if (!service) throw badInput("No such medical service", "serviceId");
  // A retired service stays in the catalogue for history, but is no longer ordered.
  if (service.status === "RETIRED") throw badInput("service retired", "serviceId");
  if (!isOrderableKind(service.kind)) throw badInput(`${service.code} (${service.kind}) is not an examination: order a lab test or imaging`, "serviceId");
  return service;
}

/** The treating doctor orders an examination for an IN_PROGRESS encounter. */
export async function orderExamination(
  deps: Pick<Deps, "encounters" | "doctors" | "unitOfWork" | "clock">,
  actor: Actor,
  input: { encounterId: string; serviceId: string },
): Promise<Examination> {
  const encounterId = requireId(input.encounterId, "encounterId");
  const serviceId = requireId(input.serviceId, "serviceId");
  // Who and when first (no catalogue call for a caller who may not order), then the catalogue outside the
  // transaction (no row lock held across a network call), then both checked again under the lock.
  const current = await deps.encounters.byId(encounterId);
  if (!current) throw notFound("No such encounter");
  assertEncounterAllows(actor, current, "ORDER_EXAMINATION", 0);
  const service = await catalogueService(deps, serviceId);
  return deps.unitOfWork.run(async (tx) => {
    const { encounter, pending } = await lockEncounter(tx, encounterId);
    assertEncounterAllows(actor, encounter, "ORDER_EXAMINATION", pending);
    if ((await tx.examinations.countOrdered(encounterId, service.id)) > 0)
      throw conflict(`${service.code} is already ordered for this encounter`, "ALREADY_ORDERED", "serviceId");
    const now = deps.clock();
    const examination = await tx.examinations.add({
      encounterId,
      patientId: encounter.patientId,
      serviceId: service.id,
      orderedAt: now,
      orderedBy: actor.userId,
    });
    await tx.outbox.append("ExaminationOrdered", examinationPayload(examination, encounter, actor.userId, pending + 1), now);
    return examination;
  });
}

/** Locks the examination's encounter (shared) and then the examination; NOT_FOUND when there is none. */
async function lockExamination(tx: TransactionRepositories, id: string): Promise<{ examination: Examination; encounter: Encounter }> {
  const encounterId = await tx.examinations.encounterIdOf(id);
  if (!encounterId) throw notFound("No such examination");
  const encounter = await tx.encounters.lock(encounterId, "share");
  const examination = await tx.examinations.lock(id);
  if (!encounter || !examination) throw new Error(`examination ${id} vanished under its lock`); // cannot happen: rows are never deleted
  return { examination, encounter };
}

export interface ExaminationTransition {
  id: string;
  action: ExaminationAction;
  result?: string | null;
  reason?: string | null;
}

/** PERFORM (result required), CANCEL (reason required) or REVIEW. */
export async function changeExamination(deps: Pick<Deps, "unitOfWork" | "clock">, actor: Actor, input: ExaminationTransition): Promise<Examination> {
  const { action } = input;
  const id = requireId(input.id, "id");
  const result = action === "PERFORM" ? requireText(input.result, "result", RESULT_MAX, true) : null;
  const reason = action === "CANCEL" ? requireText(input.reason, "reason", REASON_MAX, true) : null;
  return deps.unitOfWork.run(async (tx) => {
    const { examination, encounter } = await lockExamination(tx, id);
    // The examination's readers are its encounter's (a doctor who is neither treating nor caring learns nothing).
    assertCanReadEncounter(actor, encounter, false);
    assertCan(actor, examination, action);
    const now = deps.clock();
    const status = TARGET[action];
    const change: ExaminationChange =
      action === "PERFORM"
        ? { status, performedAt: now, performedBy: actor.userId, result }
        : action === "CANCEL"
          ? { status, cancelledAt: now, cancelledBy: actor.userId, cancelReason: reason }
          : { status, reviewedAt: now, reviewedBy: actor.userId };
    const after = await tx.examinations.change(id, { version: examination.version, status: examination.status }, change, now);
    if (!after) throw new Error("examination changed under its row lock"); // cannot happen: the row is locked
    await tx.outbox.append(EVENT[action], examinationPayload(after, encounter, actor.userId, await tx.examinations.countOrdered(encounter.id)), now);
    return after;
  });
}
