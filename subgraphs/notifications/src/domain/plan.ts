/**
 * The ledger's rules, as pure functions: which messages an event causes and to whom, which reminders an appointment
 * has, the dedupe keys that make redelivered events and repeated planning harmless, and the retry backoff.
 */
import type { AppointmentEventData, ExaminationEventData, InvoiceEventData } from "@clinigraph/events";
import type { NotificationKind } from "./messages.js";
import { DEFAULT_PREFERENCES } from "./preferences.js";
import type { AppointmentState, DeliveryFacts, NewDelivery, Preferences } from "./types.js";

/** The appointment event's payload (the catalogue's: ids, statuses and times, no free text). */
export type AppointmentEventFacts = Omit<AppointmentEventData, "rating">;

/** The examination event's payload fields the rules read. */
export type ExaminationEventFacts = Pick<ExaminationEventData, "examinationId" | "patientId" | "doctorId" | "doctorUserId" | "serviceId" | "orderedAt">;

/** The invoice event's payload fields the rules read (ids, number, status and amounts: nothing clinical). */
export type InvoiceEventFacts = Pick<InvoiceEventData, "invoiceId" | "patientId" | "number" | "status" | "totalMinor" | "paidMinor" | "currency">;

type Recipient = "patient" | "doctor";
interface Notice {
  to: Recipient;
  kind: NotificationKind;
}

/**
 * Who hears of each appointment event. A request by the waitlist (no actor) is an offer to the patient; the booking
 * that follows it at once for a doctor without approval is part of that offer, not a second message.
 */
export function appointmentNotices(type: string, data: AppointmentEventFacts): Notice[] {
  switch (type) {
    case "AppointmentRequested": {
      const notices: Notice[] = [];
      if (data.actorId === null) notices.push({ to: "patient", kind: "WAITLIST_OFFER" });
      if (data.status === "PENDING") notices.push({ to: "doctor", kind: "APPOINTMENT_REQUESTED" });
      return notices;
    }
    case "AppointmentBooked":
      return data.actorId === null ? [] : [{ to: "patient", kind: "APPOINTMENT_BOOKED" }];
    case "AppointmentRejected":
      return [{ to: "patient", kind: "APPOINTMENT_REJECTED" }];
    case "AppointmentRescheduled":
      return [
        { to: "patient", kind: "APPOINTMENT_RESCHEDULED" },
        { to: "doctor", kind: "APPOINTMENT_RESCHEDULED" },
      ];
    case "AppointmentCancelled":
      return [
        { to: "patient", kind: "APPOINTMENT_CANCELLED" },
        { to: "doctor", kind: "APPOINTMENT_CANCELLED" },
      ];
    case "AppointmentExpired":
      return [{ to: "patient", kind: "HOLD_EXPIRED" }];
    case "AppointmentFulfilled":
      return [{ to: "patient", kind: "FEEDBACK_REQUEST" }];
    case "AppointmentNeedsAttention":
      // The doctor was deactivated: the patient should rebook. Other reasons are for staff only.
      return data.attentionReason === "DOCTOR_DEACTIVATED" ? [{ to: "patient", kind: "APPOINTMENT_NEEDS_REBOOKING" }] : [];
    default:
      // Checked in, no-show, overbooked (its booking event tells the patient), feedback: nobody is told.
      return [];
  }
}

/**
 * The event tells the patient to rebook elsewhere (their doctor left): the appointment's reminders stop, so nobody is
 * reminded of a visit they were told will not happen. A later event of the appointment sets them by its state again.
 */
export function stopsReminders(type: string, data: AppointmentEventFacts): boolean {
  return type === "AppointmentNeedsAttention" && data.attentionReason === "DOCTOR_DEACTIVATED";
}

/** Who made a change, as messages word it. */
export function changedBy(actorId: string | null, patientId: string, doctorUserId: string | null | undefined): DeliveryFacts["changedBy"] {
  if (actorId === null) return "system";
  if (actorId === patientId) return "patient";
  if (doctorUserId && actorId === doctorUserId) return "doctor";
  return "staff";
}

export const preferencesOf = (stored: Map<string, Preferences>, userId: string): Preferences => stored.get(userId) ?? DEFAULT_PREFERENCES;

/**
 * One event's message to one recipient: a delivery per channel of theirs, due now, keyed by the event (a redelivery
 * plans the same keys and adds nothing).
 */
function noticeDeliveries(
  eventId: string,
  recipientId: string,
  kind: NotificationKind,
  facts: DeliveryFacts,
  about: { appointmentId: string | null; startsAt: Date | null },
  preferences: Map<string, Preferences>,
  now: Date,
): NewDelivery[] {
  return preferencesOf(preferences, recipientId).channels.map((channel) => ({
    dedupeKey: `event:${eventId}:${recipientId}:${kind}:${channel}`,
    recipientId,
    kind,
    channel,
    appointmentId: about.appointmentId,
    offsetMinutes: null,
    startsAt: about.startsAt,
    facts,
    dueAt: now,
  }));
}

/** The deliveries an appointment event causes now (one per recipient and channel), keyed by the event. */
export function planAppointmentNotices(
  eventId: string,
  type: string,
  data: AppointmentEventFacts,
  preferences: Map<string, Preferences>,
  now: Date,
): NewDelivery[] {
  const deliveries: NewDelivery[] = [];
  for (const notice of appointmentNotices(type, data)) {
    const recipientId = notice.to === "patient" ? data.patientId : data.doctorUserId;
    if (!recipientId) continue; // an event written before doctors' user ids travelled: the doctor cannot be reached
    const facts: DeliveryFacts = {
      audience: notice.to,
      doctorId: data.doctorId,
      serviceId: data.serviceId,
      patientId: data.patientId,
      startsAt: data.startsAt,
      previousStartsAt: data.previousStartsAt ?? null,
      status: data.status,
      changedBy: changedBy(data.actorId, data.patientId, data.doctorUserId),
    };
    deliveries.push(
      ...noticeDeliveries(eventId, recipientId, notice.kind, facts, { appointmentId: data.appointmentId, startsAt: new Date(data.startsAt) }, preferences, now),
    );
  }
  return deliveries;
}

/** The examination events that tell somebody a result can be read (never what it says). */
export function planExaminationNotices(
  eventId: string,
  type: string,
  data: ExaminationEventFacts,
  preferences: Map<string, Preferences>,
  now: Date,
): NewDelivery[] {
  const to: Recipient | null = type === "ExaminationPerformed" ? "doctor" : type === "ExaminationReviewed" ? "patient" : null;
  if (!to) return [];
  const recipientId = to === "doctor" ? data.doctorUserId : data.patientId;
  const facts: DeliveryFacts = {
    audience: to,
    doctorId: data.doctorId,
    serviceId: data.serviceId,
    patientId: data.patientId,
    startsAt: data.orderedAt,
    examinationId: data.examinationId,
  };
  return noticeDeliveries(eventId, recipientId, "EXAMINATION_RESULT_READY", facts, { appointmentId: null, startsAt: null }, preferences, now);
}

/**
 * An issued invoice tells its patient, once per channel of theirs, keyed by the event. The message is about no
 * doctor and no appointment: the facts carry the invoice alone, and `issuedAt` (the event's time) stands as its time.
 */
export function planInvoiceNotices(
  eventId: string,
  type: string,
  data: InvoiceEventFacts,
  issuedAt: string,
  preferences: Map<string, Preferences>,
  now: Date,
): NewDelivery[] {
  if (type !== "InvoiceIssued") return [];
  const recipientId = data.patientId;
  const facts: DeliveryFacts = {
    audience: "patient",
    doctorId: null,
    serviceId: null,
    patientId: data.patientId,
    startsAt: issuedAt,
    invoice: {
      invoiceId: data.invoiceId,
      number: data.number,
      status: data.status,
      totalMinor: data.totalMinor,
      paidMinor: data.paidMinor,
      currency: data.currency,
    },
  };
  return noticeDeliveries(eventId, recipientId, "INVOICE_ISSUED", facts, { appointmentId: null, startsAt: null }, preferences, now);
}

/** Appointment statuses that still get reminders. */
const REMINDED_STATUSES = new Set(["BOOKED"]);

/**
 * The reminders a booked appointment has: one per offset of the patient's preferences and channel, due that long
 * before the start (elapsed time, so a DST change in between moves nothing). Any other status has none.
 */
export function desiredReminders(state: AppointmentState, preferences: Preferences): NewDelivery[] {
  if (!REMINDED_STATUSES.has(state.status)) return [];
  const facts: DeliveryFacts = {
    audience: "patient",
    doctorId: state.doctorId,
    serviceId: state.serviceId,
    patientId: state.patientId,
    startsAt: state.startsAt.toISOString(),
  };
  return preferences.reminderOffsetsMinutes.flatMap((offset) =>
    preferences.channels.map((channel) => ({
      dedupeKey: reminderKey(state.appointmentId, state.patientId, offset, channel, state.startsAt),
      recipientId: state.patientId,
      kind: "APPOINTMENT_REMINDER",
      channel,
      appointmentId: state.appointmentId,
      offsetMinutes: offset,
      startsAt: state.startsAt,
      facts,
      dueAt: new Date(state.startsAt.getTime() - offset * 60_000),
    })),
  );
}

export const reminderKey = (appointmentId: string, recipientId: string, offset: number, channel: string, startsAt: Date) =>
  `reminder:${appointmentId}:${recipientId}:${offset}:${channel}:${startsAt.toISOString()}`;

/** Of the desired reminders, those still worth creating: a reminder whose time has passed is not sent. */
export const upcoming = (reminders: readonly NewDelivery[], now: Date) => reminders.filter((reminder) => reminder.dueAt.getTime() > now.getTime());

/** Retry policy of temporary failures: 30 s, 1, 2, 4, 8 min … at most 1 h apart, and FAILED after `maxAttempts`. */
export const RETRY = { firstDelayMs: 30_000, maxDelayMs: 60 * 60_000, maxAttempts: 6 } as const;

/** When a delivery that failed for the `attempts`-th time is tried again, or null when it has had its tries. */
export function nextAttemptAt(attempts: number, now: Date, policy: { firstDelayMs: number; maxDelayMs: number; maxAttempts: number } = RETRY): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const delay = Math.min(policy.firstDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return new Date(now.getTime() + delay);
}
