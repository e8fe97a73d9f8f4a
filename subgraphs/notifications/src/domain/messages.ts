/**
 * What the notifications service says: the kinds of message, the facts a message is written from, and the rendered
 * result. No clinical text, diagnosis or reason is ever among the facts: a message names a time, a doctor, a service,
 * a place and a link — or, for an invoice, its number and amounts — nothing more.
 */
import type { Language } from "./types.js";

export const NOTIFICATION_KINDS = [
  /** To the doctor: a patient asked for a time that waits for the doctor's approval. */
  "APPOINTMENT_REQUESTED",
  /** To the patient: the appointment is booked (at once, or approved by the doctor). */
  "APPOINTMENT_BOOKED",
  /** To the patient: the doctor turned the request down; up to 3 other free times of the doctor. */
  "APPOINTMENT_REJECTED",
  /** To the patient and the doctor: the appointment moved (previousStartsAt → startsAt). */
  "APPOINTMENT_RESCHEDULED",
  /** To the patient and the doctor, whoever cancelled. */
  "APPOINTMENT_CANCELLED",
  /** To the patient: the doctor did not answer in time; the held time was freed. */
  "HOLD_EXPIRED",
  /** To the patient: a time they waited for was freed and taken for them (status PENDING: waits for the doctor; BOOKED). */
  "WAITLIST_OFFER",
  /** To the patient: the appointment is `offsetMinutes` away. */
  "APPOINTMENT_REMINDER",
  /** An examination result can be read: to the ordering doctor once performed, to the patient once the doctor reviewed it. No result text. */
  "EXAMINATION_RESULT_READY",
  /** To the patient after a fulfilled visit: how was it? */
  "FEEDBACK_REQUEST",
  /**
   * To the patient: billing issued an invoice; its number, total and what is still due (or that it is paid), and
   * where to see and pay it. No doctor, time, service or line of the invoice.
   */
  "INVOICE_ISSUED",
  /**
   * To the patient: their doctor was deactivated and is no longer available for the appointment; a link to book
   * another doctor, and up to 3 free times of other doctors of the same specialty (with their names).
   */
  "APPOINTMENT_NEEDS_REBOOKING",
  /** To the NEW address of an account (accounts asks, `POST /internal/messages`): the 6-digit e-mail change code and how long it is valid. */
  "EMAIL_CHANGE_CODE",
  /** To an address another account already has, asked to become this account's: nothing changed (no code). */
  "EMAIL_CHANGE_TAKEN",
  /** To the OLD address: the account's e-mail address was changed (to the masked new one). */
  "EMAIL_CHANGED",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (kind: string): kind is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(kind);

/** Who reads the message: some kinds go to both and say different things to each. */
export type Audience = "patient" | "doctor";

/** Who made a change, as the message words it. */
export type ChangedBy = "patient" | "doctor" | "staff" | "system";

/** Everything a message may say (all of it non-clinical). */
export interface MessageFacts {
  audience: Audience;
  /** The recipient's display name, when accounts knows it. */
  recipientName: string | null;
  /** The patient's display name (doctor-facing messages name the patient; patient-facing ones do not need it). */
  patientName: string | null;
  /** The doctor's name; empty for a message about no doctor (INVOICE_ISSUED, whose templates do not use it). */
  doctorName: string;
  /** The medical service (consultation, examination, ...), when known. */
  serviceName: string | null;
  /** The doctor's location (room, building), when known. */
  location: string | null;
  /** The doctor's (clinic's) IANA time zone: every time is written in it, with the zone named ("UTC" without a doctor). */
  timezone: string;
  /**
   * The appointment's start (or, for EXAMINATION_RESULT_READY, when the examination was ordered; for INVOICE_ISSUED,
   * when the invoice was issued — its templates write no time).
   */
  startsAt: Date;
  /** APPOINTMENT_RESCHEDULED: the start before the move. */
  previousStartsAt?: Date | null;
  /** APPOINTMENT_REMINDER: how long before the start this reminder goes out. */
  offsetMinutes?: number | null;
  /** WAITLIST_OFFER: PENDING (waits for the doctor) or BOOKED. INVOICE_ISSUED: the invoice's status (PAID: nothing is due). */
  status?: string | null;
  /**
   * APPOINTMENT_REJECTED: up to 3 other free starts of the same doctor, soonest first. APPOINTMENT_NEEDS_REBOOKING:
   * up to 3 free starts of other doctors of the same specialty, named in `alternativeDoctors` (same order).
   */
  alternatives?: readonly Date[];
  /** APPOINTMENT_NEEDS_REBOOKING: the doctor of each of `alternatives`. */
  alternativeDoctors?: readonly string[];
  /** APPOINTMENT_CANCELLED, APPOINTMENT_RESCHEDULED: who made the change. */
  changedBy?: ChangedBy | null;
  /** INVOICE_ISSUED: the invoice's number (e.g. 2026-000123). */
  invoiceNumber?: string | null;
  /** INVOICE_ISSUED: the invoice's total, in minor units of `currency`. */
  amountMinor?: number | null;
  /** INVOICE_ISSUED: what is still due (the total less what was paid), in minor units of `currency`. */
  balanceMinor?: number | null;
  /** INVOICE_ISSUED: the ISO 4217 currency of the amounts. */
  currency?: string | null;
  /** Where the recipient sees the appointment (or the examination, or the invoice) in the web app. */
  link: string;
  /** EMAIL_CHANGE_CODE: the 6-digit code (never stored here) and how many minutes it is valid. */
  code?: string | null;
  validMinutes?: number | null;
  /** EMAIL_CHANGED: the new address, masked (e.g. a*****@example.org). */
  maskedNewEmail?: string | null;
}

/** A message in one language: subject, plain text and HTML for e-mail; `short` for SMS and push (time, place, link). */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  short: string;
}

/** Renders one kind of message in one language (templates/). Throws for a kind or language without a template. */
export type Renderer = (kind: NotificationKind, language: Language, facts: MessageFacts) => RenderedMessage;
