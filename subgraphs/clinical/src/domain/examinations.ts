/**
 * Examination use cases (issue 6 §2): the treating doctor orders an examination from the medical services
 * catalogue while the encounter is IN_PROGRESS; an examiner performs it (result) or cancels it (reason),
 * the ordering doctor may cancel it too (e.g. to finish the visit) and reviews the result.
 *
 * Every change is one transaction: the encounter row locked (FOR UPDATE to order, as finish/refuse do;
 * FOR SHARE to change an examination, so examinations of one visit change side by side but never while
 * the visit finishes or is refused), the examination row locked, a compare-and-set on its `version`, and
 * the outbox event. Results and reasons are sealed with the field cipher; events carry no clinical text.
 *
 * Ordering writes nothing but the examination and its event: the examiners' worklist is a read model fed
 * from those events (events/worklist.ts), so orders are accepted while the examiners' side is down.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, notFound, serviceUnavailable, inTransaction } from "@clinigraph/platform";
import { DoctorsUnavailable, type MedicalServiceRef } from "../data/doctorsClient.js";
import { seal, toEncounter, toExamination } from "../data/mappers.js";
import type { Tx } from "../data/prisma.js";
import { examinationPayload, recordEvent } from "../events/outbox.js";
import type { ClinicalDeps } from "./deps.js";
import { assertCan as assertEncounterAllows } from "./encounterMachine.js";
import { lockEncounter, requireId, requireText } from "./encounters.js";
import { assertCan, isOrderableKind, TARGET, type ExaminationAction } from "./examinationMachine.js";
import { assertCanReadEncounter } from "./policy.js";
import type { Actor, Encounter, Examination } from "./types.js";

export const RESULT_MAX = 20_000;
export const REASON_MAX = 2_000;

const EVENT = { PERFORM: "ExaminationPerformed", CANCEL: "ExaminationCancelled", REVIEW: "ExaminationReviewed" } as const;

const countOrdered = (tx: Tx, encounterId: string) => tx.examination.count({ where: { encounterId, status: "ORDERED" } });

async function catalogueService(deps: ClinicalDeps, serviceId: string): Promise<MedicalServiceRef> {
  let service: MedicalServiceRef | null;
  try {
    service = await deps.doctors.service(serviceId);
  } catch (err) {
    if (err instanceof DoctorsUnavailable) throw serviceUnavailable("The medical services catalogue is unavailable; try again shortly");
    throw err;
  }
  if (!service) throw badInput("No such medical service", "serviceId");
  if (!isOrderableKind(service.kind)) throw badInput(`${service.code} (${service.kind}) is not an examination: order a lab test or imaging`, "serviceId");
  return service;
}

/** The treating doctor orders an examination for an IN_PROGRESS encounter. */
export async function orderExamination(deps: ClinicalDeps, actor: Actor, encounterIdArg: string, serviceIdArg: string): Promise<Examination> {
  const encounterId = requireId(encounterIdArg, "encounterId");
  const serviceId = requireId(serviceIdArg, "serviceId");
  // Who and when first (no catalogue call for a caller who may not order), then the catalogue outside the
  // transaction (no row lock held across a network call), then both checked again under the lock.
  const row = await deps.prisma.encounter.findUnique({ where: { id: encounterId } });
  if (!row) throw notFound("No such encounter");
  assertEncounterAllows(actor, toEncounter(deps.cipher, row), "ORDER_EXAMINATION", 0);
  const service = await catalogueService(deps, serviceId);
  return inTransaction(deps.prisma, async (tx) => {
    const { encounter, pending } = await lockEncounter(tx, deps, encounterId);
    assertEncounterAllows(actor, encounter, "ORDER_EXAMINATION", pending);
    const duplicate = await tx.examination.count({ where: { encounterId, serviceId: service.id, status: "ORDERED" } });
    if (duplicate > 0) throw conflict(`${service.code} is already ordered for this encounter`, "ALREADY_ORDERED", "serviceId");
    const now = deps.clock();
    const created = await tx.examination.create({
      data: {
        id: randomUUID(),
        encounterId,
        patientId: encounter.patientId,
        serviceId: service.id,
        status: "ORDERED",
        orderedAt: now,
        orderedBy: actor.userId,
        updatedAt: now,
      },
    });
    const examination = toExamination(deps.cipher, created);
    await recordEvent(tx, "ExaminationOrdered", examinationPayload(examination, encounter, actor.userId, pending + 1), now);
    return examination;
  });
}

/** Locks the examination's encounter (shared) and then the examination; NOT_FOUND when there is none. */
async function lockExamination(tx: Tx, deps: ClinicalDeps, id: string): Promise<{ examination: Examination; encounter: Encounter }> {
  const ref = await tx.examination.findUnique({ where: { id }, select: { encounterId: true } });
  if (!ref) throw notFound("No such examination");
  await tx.$queryRaw`SELECT id FROM clinical.encounters WHERE id = ${ref.encounterId}::uuid FOR SHARE`;
  await tx.$queryRaw`SELECT id FROM clinical.examinations WHERE id = ${id}::uuid FOR UPDATE`;
  const [row, encounterRow] = await Promise.all([
    tx.examination.findUniqueOrThrow({ where: { id } }),
    tx.encounter.findUniqueOrThrow({ where: { id: ref.encounterId } }),
  ]);
  return { examination: toExamination(deps.cipher, row), encounter: toEncounter(deps.cipher, encounterRow) };
}

export interface ExaminationChangeArgs {
  result?: string | null;
  reason?: string | null;
}

/** PERFORM (result required), CANCEL (reason required) or REVIEW. */
export async function changeExamination(
  deps: ClinicalDeps,
  actor: Actor,
  idArg: string,
  action: ExaminationAction,
  args: ExaminationChangeArgs = {},
): Promise<Examination> {
  const id = requireId(idArg, "id");
  const result = action === "PERFORM" ? requireText(args.result, "result", RESULT_MAX, true) : null;
  const reason = action === "CANCEL" ? requireText(args.reason, "reason", REASON_MAX, true) : null;
  return inTransaction(deps.prisma, async (tx) => {
    const { examination, encounter } = await lockExamination(tx, deps, id);
    // The examination's readers are its encounter's (a doctor who is neither treating nor caring learns nothing).
    assertCanReadEncounter(actor, encounter, false);
    assertCan(actor, examination, action);
    const now = deps.clock();
    const data =
      action === "PERFORM"
        ? { performedAt: now, performedBy: actor.userId, resultEnc: seal(deps.cipher, result) }
        : action === "CANCEL"
          ? { cancelledAt: now, cancelledBy: actor.userId, cancelReasonEnc: seal(deps.cipher, reason) }
          : { reviewedAt: now, reviewedBy: actor.userId };
    const { count } = await tx.examination.updateMany({
      where: { id, version: examination.version, status: examination.status },
      data: { ...data, status: TARGET[action], version: { increment: 1 }, updatedAt: now },
    });
    if (count !== 1) throw new Error("examination changed under its row lock"); // cannot happen: the row is locked
    const after = toExamination(deps.cipher, await tx.examination.findUniqueOrThrow({ where: { id } }));
    await recordEvent(tx, EVENT[action], examinationPayload(after, encounter, actor.userId, await countOrdered(tx, encounter.id)), now);
    return after;
  });
}
