/** Domain records of the notifications subgraph (plain data). */
import type { Identity, Role } from "@clinigraph/platform";

/** The signed-in caller (its identity is what the notifications service shows accounts when it asks for contacts). */
export type Actor = Identity & { userId: string; role: Role };

export const CHANNELS = ["EMAIL", "SMS", "PUSH"] as const;
export type NotificationChannel = (typeof CHANNELS)[number];

/** The languages messages are written in. */
export const LANGUAGES = ["en", "ko", "ru", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Preferences {
  language: Language;
  channels: NotificationChannel[];
  /** Minutes before the appointment, largest first. */
  reminderOffsetsMinutes: number[];
}

/** A delivery's state. SENDING is a claimed delivery in flight (shown as SCHEDULED). */
export const DELIVERY_STATUSES = ["SCHEDULED", "SENDING", "SENT", "FAILED", "CANCELLED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Notifications' view of an appointment: the latest state its events told. */
export interface AppointmentState {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  doctorUserId: string | null;
  serviceId: string | null;
  status: string;
  startsAt: Date;
  endsAt: Date;
  lastEventAt: Date;
}

/** An invoice as billing's InvoiceIssued event carries it: ids, number, status and amounts in minor units. */
export interface InvoiceFacts {
  invoiceId: string;
  number: string | null;
  status: string;
  totalMinor: number;
  paidMinor: number;
  currency: string;
}

/**
 * What a delivery's message is written from, stored with it: ids, times, statuses and (for an invoice) amounts only
 * (names, addresses, places are looked up when it is sent; no clinical text exists here).
 */
export interface DeliveryFacts {
  audience: "patient" | "doctor";
  /** The doctor the message is about; null for a message about no doctor (INVOICE_ISSUED): nobody is looked up. */
  doctorId: string | null;
  serviceId: string | null;
  patientId: string;
  /** The appointment's start, when the examination was ordered, or (INVOICE_ISSUED) when the invoice was issued. */
  startsAt: string;
  previousStartsAt?: string | null;
  status?: string | null;
  changedBy?: "patient" | "doctor" | "staff" | "system" | null;
  examinationId?: string | null;
  /** INVOICE_ISSUED: the invoice. */
  invoice?: InvoiceFacts | null;
}

/** One row of the ledger. */
export interface Delivery {
  id: string;
  recipientId: string;
  kind: string;
  channel: NotificationChannel;
  appointmentId: string | null;
  offsetMinutes: number | null;
  startsAt: Date | null;
  facts: DeliveryFacts;
  dueAt: Date;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  subject: string | null;
  providerMessageId: string | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A delivery to add to the ledger (ignored when its dedupe key is already there). */
export type NewDelivery = Pick<Delivery, "recipientId" | "kind" | "channel" | "appointmentId" | "offsetMinutes" | "startsAt" | "facts" | "dueAt"> & {
  dedupeKey: string;
};
