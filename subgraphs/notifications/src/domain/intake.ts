/**
 * What notifications does with the events it hears: each event once per consumer group (a redelivery changes
 * nothing). Appointment events come a block at a time (one event alone when a block is retried), in one
 * transaction: the appointments' states are brought up to date under their row locks, the events' messages are added
 * to the ledger, and each appointment's reminders are reconciled with its latest state — created at booking, moved by
 * a reschedule (those of the old start are cancelled), cancelled by a cancellation, rejection, no-show or expiry.
 * The block's events of one appointment are applied in stream order, and the ledger ends as if each had been handled
 * on its own: a request booked at once adds its reminders once. Two instances handling one appointment's events at
 * once take turns on the lock; an event older than the stored state does not roll it back and tells nobody.
 * Examination and invoice events only add their messages (once per event, like the others).
 */
import type { Deps } from "./deps.js";
import {
  desiredReminders,
  planAppointmentNotices,
  planExaminationNotices,
  planInvoiceNotices,
  preferencesOf,
  stopsReminders,
  upcoming,
  type AppointmentEventFacts,
  type ExaminationEventFacts,
  type InvoiceEventFacts,
} from "./plan.js";
import type { AppointmentBlockOutcome, PlannedDelivery } from "./ports.js";
import type { AppointmentState, NewDelivery, Preferences } from "./types.js";

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

export interface BlockIntakeResult {
  /** Events of the block the group had not handled before. */
  applied: number;
  added: number;
  cancelled: number;
}

/** The appointment's state as the event tells it. */
export function appointmentStateOf(event: IncomingEvent<AppointmentEventFacts>): AppointmentState {
  const data = event.data;
  return {
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
}

/** What one appointment's events of a block do, as if each were handled on its own after the one before. */
export interface AppointmentFold {
  state: AppointmentState;
  /** false: the stored state stands (every event was older, or told the same). */
  changed: boolean;
  /** The events' messages, and the reminders any of them added (CANCELLED when the last event no longer wants them). */
  deliveries: PlannedDelivery[];
  /** Dedupe keys of the reminders the last event wants, and of those every event wanted. */
  keep: string[];
  keptThroughout: string[];
}

/**
 * Applies one appointment's events (stream order, each new to the group) to its stored state. Each event: an event
 * at least as recent as the state replaces it (events of one transaction share their time: the later one still
 * applies) and tells whom it concerns; an older one changes nothing and tells nobody. Either way the appointment's
 * reminders are those its state wants — none after a current event that tells the patient to rebook (stopsReminders).
 */
export function foldAppointmentEvents(
  stored: AppointmentState,
  events: readonly IncomingEvent<AppointmentEventFacts>[],
  preferences: Map<string, Preferences>,
  now: Date,
): AppointmentFold {
  let state = stored;
  const notices: NewDelivery[] = [];
  const added = new Map<string, NewDelivery>(); // a key added twice: the first stays (the second is a duplicate)
  let keep = new Set<string>();
  let keptThroughout = null as Set<string> | null;
  for (const event of events) {
    const incoming = appointmentStateOf(event);
    const current = incoming.lastEventAt.getTime() >= state.lastEventAt.getTime();
    if (current) {
      state = { ...incoming, doctorUserId: incoming.doctorUserId ?? state.doctorUserId };
      notices.push(...planAppointmentNotices(event.id, event.type, event.data, preferences, now));
    }
    const reminders = current && stopsReminders(event.type, event.data) ? [] : desiredReminders(state, preferencesOf(preferences, state.patientId));
    for (const reminder of upcoming(reminders, now)) if (!added.has(reminder.dedupeKey)) added.set(reminder.dedupeKey, reminder);
    const wanted = new Set(reminders.map((reminder) => reminder.dedupeKey));
    keptThroughout = keptThroughout ? new Set([...keptThroughout].filter((key) => wanted.has(key))) : wanted;
    keep = wanted;
  }
  return {
    state,
    changed: !sameState(state, stored),
    deliveries: [
      ...notices.map((notice) => ({ ...notice, status: "SCHEDULED" as const })),
      ...[...added.values()].map((reminder) => ({ ...reminder, status: keep.has(reminder.dedupeKey) ? ("SCHEDULED" as const) : ("CANCELLED" as const) })),
    ],
    keep: [...keep],
    keptThroughout: [...(keptThroughout ?? keep)],
  };
}

const sameState = (a: AppointmentState, b: AppointmentState) =>
  a.appointmentId === b.appointmentId &&
  a.patientId === b.patientId &&
  a.doctorId === b.doctorId &&
  a.doctorUserId === b.doctorUserId &&
  a.serviceId === b.serviceId &&
  a.status === b.status &&
  a.startsAt.getTime() === b.startsAt.getTime() &&
  a.endsAt.getTime() === b.endsAt.getTime() &&
  a.lastEventAt.getTime() === b.lastEventAt.getTime();

/**
 * A block of appointment events (stream order; one event alone when a block is retried) in one transaction: two
 * statements between BEGIN and COMMIT, however many events.
 */
export async function takeAppointmentEvents(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  consumer: string,
  events: readonly IncomingEvent<AppointmentEventFacts>[],
): Promise<BlockIntakeResult> {
  const now = deps.clock();
  const byAppointment = new Map<string, IncomingEvent<AppointmentEventFacts>[]>();
  for (const event of events) {
    const list = byAppointment.get(event.data.appointmentId);
    if (list) list.push(event);
    else byAppointment.set(event.data.appointmentId, [event]);
  }
  const firstStates = [...byAppointment.values()].map((list) => appointmentStateOf(list[0]!));
  const users = new Set<string>();
  for (const { data } of events) {
    users.add(data.patientId);
    if (data.doctorUserId) users.add(data.doctorUserId);
  }
  return deps.unitOfWork.run(async (tx) => {
    const start = await tx.appointmentEvents.start(
      consumer,
      events.map((event) => event.id),
      firstStates,
      [...users],
    );
    const preferences = start.preferences;
    // A stored appointment names its patient; its events always did too, so this is asked only if they ever differ.
    const unasked = [...new Set([...start.stored.values()].map((state) => state.patientId))].filter((id) => !users.has(id));
    if (unasked.length) for (const [userId, stored] of await tx.preferencesOf(unasked)) preferences.set(userId, stored);

    const outcome: AppointmentBlockOutcome = { states: [], deliveries: [], reminders: { appointmentIds: [], keep: [], keptThroughout: [] } };
    const taken = new Set<string>(); // an event delivered twice in one block is applied once
    let applied = 0;
    for (const [appointmentId, list] of byAppointment) {
      const fresh: IncomingEvent<AppointmentEventFacts>[] = [];
      for (const event of list)
        if (start.unhandled.has(event.id) && !taken.has(event.id)) {
          taken.add(event.id);
          fresh.push(event);
        }
      if (fresh.length === 0) continue;
      applied += fresh.length;
      const fold = foldAppointmentEvents(start.stored.get(appointmentId)!, fresh, preferences, now);
      if (fold.changed) outcome.states.push(fold.state);
      outcome.deliveries.push(...fold.deliveries);
      outcome.reminders.appointmentIds.push(appointmentId);
      outcome.reminders.keep.push(...fold.keep);
      outcome.reminders.keptThroughout.push(...fold.keptThroughout);
    }
    if (applied === 0) return { applied: 0, added: 0, cancelled: 0 };
    return { applied, ...(await tx.appointmentEvents.finish(outcome, now)) };
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
