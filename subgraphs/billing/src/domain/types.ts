/** Domain records of the billing subgraph (plain data). Money is integer minor units of one ISO 4217 currency. */
import type { Role } from "@clinigraph/platform";

/** The signed-in caller. */
export interface Actor {
  userId: string;
  role: Role;
}

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface ServicePrice {
  serviceId: string;
  amountMinor: number;
  currency: string;
  taxRateBp: number;
  /** YYYY-MM-DD. */
  effectiveFrom: string;
  setAt: Date;
}

export const INVOICE_STATUSES = ["DRAFT", "ISSUED", "PARTIALLY_PAID", "PAID", "VOID"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceLine {
  id: string;
  sourceKey: string;
  /** Null for a fee (late cancellation, no-show), priced by the clinic's settings rather than the price list. */
  serviceId: string | null;
  description: string;
  quantity: number;
  /** Null while the service has no price for the visit day. */
  unitPriceMinor: number | null;
  taxRateBp: number | null;
  netMinor: number | null;
  taxMinor: number | null;
  totalMinor: number | null;
}

export interface Invoice {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  /** INVOICE, or CREDIT_NOTE: the negative of the invoice it voids (`creditFor`), with the reason. */
  kind?: "INVOICE" | "CREDIT_NOTE";
  creditFor?: string | null;
  reason?: string | null;
  patientId: string;
  doctorId: string;
  encounterId: string | null;
  appointmentId: string | null;
  currency: string;
  /** YYYY-MM-DD in the clinic's time zone. */
  visitDate: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
  paidMinor: number;
  issuedAt: Date | null;
  createdAt: Date;
  lines: InvoiceLine[];
}

export type PaymentMethod = "CASH" | "CARD" | "ONLINE";

export interface Payment {
  id: string;
  idempotencyKey: string;
  invoiceId: string;
  patientId: string;
  kind: "PAYMENT" | "REFUND";
  method: PaymentMethod;
  status: string;
  amountMinor: number;
  currency: string;
  creditMinor: number;
  refundedMinor: number;
  /** REFUND: the payment refunded, and why. */
  refundOf?: string | null;
  reason?: string | null;
  /** ONLINE: the provider's reference of the payment or refund. */
  providerRef?: string | null;
  recordedBy?: string | null;
  createdAt: Date;
}

export type PaymentSessionStatus = "OPEN" | "SUCCEEDED" | "FAILED";

/** An online payment the patient started. */
export interface PaymentSession {
  id: string;
  idempotencyKey: string;
  invoiceId: string;
  patientId: string;
  provider: string;
  providerRef: string | null;
  amountMinor: number;
  currency: string;
  status: PaymentSessionStatus;
  checkoutUrl: string | null;
  clientSecret: string | null;
  createdAt: Date;
}

/** Billing's view of an appointment (from scheduling's events). */
export interface AppointmentRef {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  serviceId: string | null;
  status: string;
  startsAt: Date;
}

/** A medical service as invoices name it (public data of the doctors subgraph). */
export interface ServiceCard {
  id: string;
  name: string;
  kind: string;
}
