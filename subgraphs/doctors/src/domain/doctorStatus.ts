/**
 * Deactivating and reactivating a doctor. An inactive doctor is hidden from the public search and gets no new slots
 * or bookings (scheduling acts on the events); the profile stays, `doctor(id)` still resolves it (history names it)
 * and the doctor's own `myDoctor` still works.
 *
 * Two ways in, the same effect and the same events, written in the transaction of the change:
 * - ADMIN: `deactivateDoctor(id, reason)` / `reactivateDoctor(id)`, e.g. for a profile whose account should stay;
 * - accounts: a DOCTOR user deactivated or reactivated (UserDeactivated / UserReactivated, consumers/accounts.ts)
 *   changes the doctor linked to that user, as the system (actorId of the event).
 * Each change writes DoctorDeactivated or DoctorReactivated, then DoctorScheduleChanged (its snapshot says
 * `active`), after the doctor's row is locked: one doctor's events keep their order. A change to the status the
 * doctor already has changes nothing and writes nothing.
 */
import { badInput } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import { requireAdmin } from "./policy.js";
import type { DoctorRepository, TransactionRepositories } from "./ports.js";
import { requiredText } from "./text.js";
import type { Actor, Doctor } from "./types.js";

/** The longest deactivation reason kept. */
export const REASON_LIMIT = 500;

export type StatusDeps = Pick<Deps, "unitOfWork" | "clock"> & { doctors: Pick<DoctorRepository, "findById"> };

/**
 * Inside a transaction: locks the doctor and sets the status, with its events. "UNCHANGED" when the doctor already
 * has it, "STALE" when the status changed after `notAfter` (an older event): nothing is written then.
 */
async function changeStatus(
  tx: TransactionRepositories,
  doctor: Doctor,
  change: { active: boolean; at: Date; reason: string | null; actorId: string | null },
  notAfter?: Date,
): Promise<Doctor | "UNCHANGED" | "STALE"> {
  if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
  // Read under the lock: another change may have committed since `doctor` was read.
  const status = await tx.doctors.status(doctor.id);
  if (!status) throw doctorNotFound();
  if (notAfter && status.changedAt && status.changedAt.getTime() > notAfter.getTime()) return "STALE";
  if (status.active === change.active) return "UNCHANGED";
  const updated = await tx.doctors.setStatus(doctor.id, change);
  const payload = { doctorId: doctor.id, doctorUserId: doctor.userId, actorId: change.actorId, at: change.at.toISOString() };
  await tx.outbox.append(change.active ? "DoctorReactivated" : "DoctorDeactivated", payload, change.at);
  await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, change.at);
  return updated;
}

/** ADMIN: deactivates the doctor (idempotent: an inactive doctor stays as deactivated before, reason and time included). */
export async function deactivateDoctor(deps: StatusDeps, actor: Actor, input: { id: string; reason: string }): Promise<Doctor> {
  requireAdmin(actor);
  const reason = requiredText(input.reason, "reason", REASON_LIMIT);
  const doctor = await findDoctorOrFail(deps.doctors, input.id);
  const at = deps.clock();
  const changed = await deps.unitOfWork.run((tx) => changeStatus(tx, doctor, { active: false, at, reason, actorId: actor.userId }));
  return typeof changed === "string" ? reread(deps, doctor.id) : changed;
}

/** ADMIN: reactivates the doctor (idempotent: an active doctor is returned as is). */
export async function reactivateDoctor(deps: StatusDeps, actor: Actor, input: { id: string }): Promise<Doctor> {
  requireAdmin(actor);
  const doctor = await findDoctorOrFail(deps.doctors, input.id);
  const at = deps.clock();
  const changed = await deps.unitOfWork.run((tx) => changeStatus(tx, doctor, { active: true, at, reason: null, actorId: actor.userId }));
  return typeof changed === "string" ? reread(deps, doctor.id) : changed;
}

async function reread(deps: StatusDeps, id: string): Promise<Doctor> {
  const doctor = await deps.doctors.findById(id);
  if (!doctor) throw doctorNotFound();
  return doctor;
}

/** What accounts' UserDeactivated / UserReactivated tells (the catalogue's UserAccountChangedData). */
export interface UserStatusEvent {
  eventId: string;
  active: boolean;
  userId: string;
  role: string;
  actorId: string | null;
  /** When accounts made the change (ISO 8601). */
  at: string;
}

export type UserStatusOutcome = "CHANGED" | "UNCHANGED" | "NOT_A_DOCTOR" | "NO_DOCTOR" | "HANDLED_BEFORE" | "STALE";

/**
 * The doctor of a DOCTOR user follows the user's status. Once per event (claimed in the transaction of its effect, so
 * a redelivery, or the same event handled by a second instance at once, does nothing); an event older than the
 * doctor's last status change (a late redelivery, an ADMIN's change since) does not undo it.
 */
export async function applyUserStatus(
  deps: Pick<Deps, "unitOfWork"> & { doctors: Pick<DoctorRepository, "findByUserId"> },
  consumer: string,
  event: UserStatusEvent,
): Promise<UserStatusOutcome> {
  if (event.role !== "DOCTOR") return "NOT_A_DOCTOR";
  const at = new Date(event.at);
  if (Number.isNaN(at.getTime())) throw badInput("Invalid event time", "at");
  const doctor = await deps.doctors.findByUserId(event.userId);
  if (!doctor) return "NO_DOCTOR";
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.processedEvents.claim(consumer, event.eventId))) return "HANDLED_BEFORE";
    const changed = await changeStatus(tx, doctor, { active: event.active, at, reason: null, actorId: event.actorId }, at);
    return typeof changed === "string" ? changed : "CHANGED";
  });
}
