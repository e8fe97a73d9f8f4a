/**
 * What notifications does with the events it hears: each event, once per consumer group (a redelivery changes
 * nothing), in one transaction: the appointment's state is brought up to date under its row lock, the event's
 * messages are added to the ledger, and the appointment's reminders are reconciled with its latest state — created
 * at booking, moved by a reschedule (those of the old start are cancelled), cancelled by a cancellation, rejection,
 * no-show or expiry. Two instances handling one appointment's events at once take turns on the lock; an event
 * older than the stored state does not roll it back and tells nobody. Examination and invoice events only add
 * their messages (once per event, like the others).
 */
import type { Deps } from "./deps.js";
import {
  desiredReminders,
  planAppointmentNotices,
  planExaminationNotices,
  planInvoiceNotices,
  preferencesOf,
  upcoming,
  type AppointmentEventFacts,
  type ExaminationEventFacts,
  type InvoiceEventFacts,
} from "./plan.js";
import type { AppointmentState } from "./types.js";

/** An event as a consumer receives it (the catalogue envelope's fields the intake reads). */
export interface IncomingEvent<D> {
  id: string;
  type: string;
  /** When it happened (ISO 8601). */
  time: string;
  data: D;
}

export interface IntakeResult {
  /** false: the group had handled this event before. */
  applied: boolean;
  added: number;
  cancelled: number;
}

export async function takeAppointmentEvent(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  consumer: string,
  event: IncomingEvent<AppointmentEventFacts>,
): Promise<IntakeResult> {
  const now = deps.clock();
  const data = event.data;
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.markProcessed(consumer, event.id))) return { applied: false, added: 0, cancelled: 0 };
    const incoming: AppointmentState = {
      appointmentId: data.appointmentId,
      patientId: data.patientId,
      doctorId: data.doctorId,
      doctorUserId: data.doctorUserId ?? null,
      serviceId: data.serviceId,
      status: data.status,
      startsAt: new Date(data.startsAt),
      endsAt: new Date(data.endsAt),
      lastEventAt: new Date(event.time),
    };
    const stored = await tx.appointments.lock(incoming);
    // Events of one transaction share their time (a request booked at once): the later one still applies.
    const fresh = incoming.lastEventAt.getTime() >= stored.lastEventAt.getTime();
    const state = fresh ? { ...incoming, doctorUserId: incoming.doctorUserId ?? stored.doctorUserId } : stored;
    if (fresh) await tx.appointments.save(state);
    const recipients = [state.patientId, ...(data.doctorUserId ? [data.doctorUserId] : [])];
    const preferences = await tx.preferencesOf(recipients);
    const notices = fresh ? planAppointmentNotices(event.id, event.type, data, preferences, now) : [];
    const reminders = desiredReminders(state, preferencesOf(preferences, state.patientId));
    const added = await tx.deliveries.add([...notices, ...upcoming(reminders, now)], now);
    const cancelled = await tx.deliveries.keepOnlyReminders(state.appointmentId, reminders, now);
    return { applied: true, added, cancelled };
  });
}

export async function takeExaminationEvent(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  consumer: string,
  event: IncomingEvent<ExaminationEventFacts>,
): Promise<IntakeResult> {
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.markProcessed(consumer, event.id))) return { applied: false, added: 0, cancelled: 0 };
    const preferences = await tx.preferencesOf([event.data.patientId, event.data.doctorUserId]);
    const added = await tx.deliveries.add(planExaminationNotices(event.id, event.type, event.data, preferences, now), now);
    return { applied: true, added, cancelled: 0 };
  });
}

/** billing's invoice events: an issued invoice is told to its patient on each of their channels. */
export async function takeInvoiceEvent(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  consumer: string,
  event: IncomingEvent<InvoiceEventFacts>,
): Promise<IntakeResult> {
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.markProcessed(consumer, event.id))) return { applied: false, added: 0, cancelled: 0 };
    const preferences = await tx.preferencesOf([event.data.patientId]);
    const added = await tx.deliveries.add(planInvoiceNotices(event.id, event.type, event.data, event.time, preferences, now), now);
    return { applied: true, added, cancelled: 0 };
  });
}
