/**
 * The status changes that need no new slot: approve, reject, cancel, check in, no-show, fulfil.
 * Each locks the appointment row, checks who asks (stateMachine.mayAct) and the state
 * (stateMachine.stateAllows), moves it with a compare-and-set, frees the slot where the time is given
 * back, and writes history and the outbox event in the same transaction; once that committed, a freed
 * slot is offered to the waitlist (domain/waitlist.ts).
 */
import { conflict, forbidden, notFound } from "@clinigraph/platform";
import { appointmentPayload, type AppointmentEventType } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import { optionalText, requireId } from "./ids.js";
import { canRead } from "./policy.js";
import type { TxRepositories } from "./ports.js";
import { mayAct, stateAllows, TARGET } from "./stateMachine.js";
import type { Actor, Appointment, AppointmentAction } from "./types.js";
import { offerFreedSlots } from "./waitlist.js";

type SimpleAction = "APPROVE" | "REJECT" | "CANCEL" | "CHECK_IN" | "MARK_NO_SHOW" | "FULFILL";

const EVENT: Record<SimpleAction, AppointmentEventType> = {
  APPROVE: "AppointmentBooked",
  REJECT: "AppointmentRejected",
  CANCEL: "AppointmentCancelled",
  CHECK_IN: "PatientCheckedIn",
  MARK_NO_SHOW: "AppointmentNoShow",
  FULFILL: "AppointmentFulfilled",
};

/** Actions that give the doctor's time back. */
const FREES_SLOT: readonly SimpleAction[] = ["REJECT", "CANCEL"];

const VERB: Record<AppointmentAction, string> = {
  APPROVE: "approve",
  REJECT: "reject",
  CANCEL: "cancel",
  CHECK_IN: "check in",
  MARK_NO_SHOW: "mark as no-show",
  FULFILL: "mark as fulfilled",
  RESCHEDULE: "reschedule",
  SUBMIT_FEEDBACK: "give feedback on",
};

/** Loads and locks the appointment, and checks the caller may take `action` on it now. */
export async function lockForAction(
  tx: Pick<TxRepositories, "appointments">,
  actor: Actor,
  id: string,
  action: AppointmentAction,
  now: Date,
): Promise<Appointment> {
  const appointment = await tx.appointments.lock(id);
  if (!appointment) throw notFound("Unknown appointment");
  if (!canRead(actor, appointment)) throw forbidden("This is not your appointment");
  if (!mayAct(actor, appointment, action)) throw forbidden(`You may not ${VERB[action]} this appointment`);
  if (!stateAllows(appointment, action, now)) {
    const expired = appointment.status === "PENDING" && appointment.holdExpiresAt && appointment.holdExpiresAt <= now;
    throw conflict(
      expired
        ? "This request has expired"
        : `Cannot ${VERB[action]} an appointment that is ${appointment.status.toLowerCase().replace("_", "-")}${timing(action)}`,
      expired ? "HOLD_EXPIRED" : notDueYet(appointment, action, now) ? "NOT_DUE_YET" : "INVALID_STATE",
    );
  }
  return appointment;
}

/** Booked, and the step waits for the appointment's time (check-in opens hours before, a no-show after the start). */
const notDueYet = (appointment: Appointment, action: AppointmentAction, now: Date) =>
  appointment.status === "BOOKED" && (action === "CHECK_IN" || action === "MARK_NO_SHOW") && appointment.startsAt.getTime() > now.getTime();

const timing = (action: AppointmentAction) =>
  action === "CANCEL" || action === "RESCHEDULE"
    ? " or already started"
    : action === "CHECK_IN"
      ? " or not due today"
      : action === "MARK_NO_SHOW"
        ? " or not started yet"
        : "";

export async function changeStatus(deps: Deps, actor: Actor, rawId: string, action: SimpleAction, rawReason?: string | null): Promise<Appointment> {
  const id = requireId(rawId, "id");
  const reason = optionalText(rawReason, "reason", 1000);
  const now = deps.clock();
  const { after, freed } = await deps.unitOfWork.run(async (tx) => {
    const before = await lockForAction(tx, actor, id, action, now);
    const after = await tx.appointments.transition(id, [before.status], { status: TARGET[action], holdExpiresAt: null }, now);
    if (!after) throw conflict("The appointment changed meanwhile; reload it", "CHANGED_MEANWHILE");
    await tx.history.record(id, { action, actorId: actor.userId, actorRole: actor.role, fromStatus: before.status, toStatus: after.status, reason }, now);
    await tx.outbox.append(EVENT[action], appointmentPayload(after, actor.userId), now);
    if (FREES_SLOT.includes(action) && before.slotId) {
      await tx.slots.release({ id: before.slotId, doctorId: before.doctorId, startsAt: before.startsAt, endsAt: before.endsAt }, id, now);
      return { after, freed: before.slotId };
    }
    return { after, freed: null };
  });
  if (freed) await offerFreedSlots(deps, [freed]);
  return after;
}
