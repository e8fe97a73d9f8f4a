/**
 * Encounter use cases: created from scheduling's check-in (idempotent: one encounter per appointment) or
 * by reception for a walk-in; started, finished or refused by the treating doctor; confirmed by reception.
 * Every change is one unit of work: row lock, compare-and-set on `version`, the outbox event.
 */
import { randomUUID } from "node:crypto";
import { AccountsUnavailable, badInput, forbidden, notFound, requireUuid as requireId, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { assertCan, type EncounterAction } from "./encounterMachine.js";
import { encounterPayload, examinationPayload } from "./eventPayloads.js";
import { DoctorsUnavailable, type EncounterChange, type TransactionRepositories } from "./ports.js";
import type { Actor, Encounter } from "./types.js";

export { requireUuid as requireId } from "@clinigraph/platform";

export function requireText(value: string | null | undefined, field: string, max: number, required: boolean): string | null {
  const text = value?.trim() ?? "";
  if (!text) {
    if (required) throw badInput(`${field} is required`, field);
    return null;
  }
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

export interface CheckIn {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  doctorUserId: string;
  at: Date;
}

/** The encounter for a checked-in appointment; a redelivered check-in finds it and changes nothing. */
export async function encounterFromCheckIn(deps: Pick<Deps, "unitOfWork" | "clock">, checkIn: CheckIn): Promise<{ encounter: Encounter; created: boolean }> {
  return deps.unitOfWork.run((tx) => checkInEncounter(tx, deps.clock, checkIn));
}

/** `encounterFromCheckIn` within a running unit of work. */
export async function checkInEncounter(tx: TransactionRepositories, clock: () => Date, checkIn: CheckIn): Promise<{ encounter: Encounter; created: boolean }> {
  const { encounter, created } = await tx.encounters.createForAppointment({
    patientId: checkIn.patientId,
    doctorId: checkIn.doctorId,
    doctorUserId: checkIn.doctorUserId,
    appointmentId: checkIn.appointmentId,
    arrivedAt: checkIn.at,
    registeredBy: null,
    updatedAt: clock(),
  });
  if (created) {
    await tx.care.record({ doctorUserId: encounter.doctorUserId, patientId: encounter.patientId, since: checkIn.at, source: "encounter" });
    await tx.outbox.append("EncounterRegistered", encounterPayload(encounter, null, 0), clock());
  }
  return { encounter, created };
}

export interface WalkIn {
  patientId: string;
  doctorId: string;
  /** The request that registers it (passed on to accounts). */
  requestId?: string;
}

/** Reception registers a patient who came without an appointment. */
export async function registerWalkIn(deps: Pick<Deps, "unitOfWork" | "clock" | "doctors" | "patients">, actor: Actor, input: WalkIn): Promise<Encounter> {
  const patientId = requireId(input.patientId, "patientId");
  const doctorId = requireId(input.doctorId, "doctorId");
  let doctor;
  let patientExists;
  try {
    [doctor, patientExists] = await Promise.all([
      deps.doctors.doctor(doctorId),
      deps.patients.exists({ userId: actor.userId, role: actor.role, requestId: input.requestId ?? randomUUID() }, patientId),
    ]);
  } catch (err) {
    if (err instanceof DoctorsUnavailable) throw serviceUnavailable("The doctors directory is unavailable; try again shortly");
    if (err instanceof AccountsUnavailable) throw serviceUnavailable("The patient directory is unavailable; try again shortly");
    throw err;
  }
  if (!patientExists) throw notFound("No such patient");
  if (!doctor) throw notFound("No such doctor");
  const doctorUserId = doctor.userId;
  if (!doctorUserId) throw badInput("This doctor has no user account to treat patients with", "doctorId");
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    const encounter = await tx.encounters.add({
      patientId,
      doctorId,
      doctorUserId,
      appointmentId: null,
      arrivedAt: now,
      registeredBy: actor.userId,
      updatedAt: now,
    });
    await tx.care.record({ doctorUserId, patientId, since: now, source: "encounter" });
    await tx.outbox.append("EncounterRegistered", encounterPayload(encounter, actor.userId, 0), now);
    return encounter;
  });
}

/** Locks the encounter (FOR UPDATE) and counts its ORDERED examinations; NOT_FOUND when there is none. */
export async function lockEncounter(tx: TransactionRepositories, id: string): Promise<{ encounter: Encounter; pending: number }> {
  const encounter = await tx.encounters.lock(id);
  if (!encounter) throw notFound("No such encounter");
  return { encounter, pending: await tx.examinations.countOrdered(id) };
}

export interface EncounterTransition {
  id: string;
  action: Exclude<EncounterAction, "ORDER_EXAMINATION">;
  summary?: string | null;
  reason?: string | null;
}

const EVENT = { START: "EncounterStarted", FINISH: "EncounterFinished", REFUSE: "EncounterRefused", CONFIRM_OUTCOME: "VisitOutcomeConfirmed" } as const;

/** START, FINISH, REFUSE (cancels the ORDERED examinations: nobody will review them) or CONFIRM_OUTCOME. */
export async function changeEncounter(deps: Pick<Deps, "unitOfWork" | "clock">, actor: Actor, input: EncounterTransition): Promise<Encounter> {
  const { action } = input;
  const id = requireId(input.id, "id");
  const summary = action === "FINISH" ? requireText(input.summary, "summary", 10_000, false) : null;
  const reason = action === "REFUSE" ? requireText(input.reason, "reason", 2_000, true) : null;
  return deps.unitOfWork.run(async (tx) => {
    const { encounter, pending } = await lockEncounter(tx, id);
    assertCan(actor, encounter, action, pending);
    const now = deps.clock();
    let remaining = pending;
    if (action === "REFUSE" && pending > 0) {
      for (const ordered of await tx.examinations.ordered(id)) {
        remaining -= 1;
        const cancelled = await tx.examinations.change(
          ordered.id,
          { version: ordered.version, status: "ORDERED" },
          { status: "CANCELLED", cancelledAt: now, cancelledBy: actor.userId, cancelReason: "Treatment refused" },
          now,
        );
        if (!cancelled) throw new Error("examination changed under its encounter's lock"); // cannot happen: the encounter is locked
        await tx.outbox.append("ExaminationCancelled", examinationPayload(cancelled, encounter, actor.userId, remaining), now);
      }
    }
    const change: EncounterChange =
      action === "START"
        ? { status: "IN_PROGRESS", startedAt: now }
        : action === "FINISH"
          ? { status: "FINISHED", endedAt: now, summary }
          : action === "REFUSE"
            ? { status: "REFUSED", endedAt: now, refusalReason: reason }
            : { outcomeConfirmedAt: now, outcomeConfirmedBy: actor.userId };
    const after = await tx.encounters.change(id, encounter.version, change, now);
    if (!after) throw new Error("encounter changed under its row lock"); // cannot happen: the row is locked
    await tx.outbox.append(EVENT[action], encounterPayload(after, actor.userId, remaining), now);
    return after;
  });
}

/** Of `patientIds` (at most 500), those the calling doctor has an encounter with: accounts asks this on a miss of its projection. */
export async function myEncounterPatients(deps: Pick<Deps, "encounters">, actor: Actor, input: { patientIds: readonly string[] }): Promise<string[]> {
  if (actor.role !== "DOCTOR") throw forbidden("For doctors");
  if (input.patientIds.length > MAX_PATIENT_IDS) throw badInput(`At most ${MAX_PATIENT_IDS} patient ids`, "patientIds");
  const ids = [...new Set(input.patientIds.map((id) => requireId(id, "patientIds")))];
  if (ids.length === 0) return [];
  return deps.encounters.patientsTreatedBy(actor.userId, ids);
}

const MAX_PATIENT_IDS = 500;
