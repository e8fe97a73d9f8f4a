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

/** CREDIT moves no money: it spends the credit an earlier payment left (an overpayment, a prepayment). */
export type PaymentMethod = "CASH" | "CARD" | "ONLINE" | "CREDIT";

export interface Payment {
  id: string;
  idempotencyKey: string;
  /** Null for a prepayment: money paid ahead for `appointmentId`, all of it credit until an invoice uses it. */
  invoiceId: string | null;
  appointmentId?: string | null;
  patientId: string;
  kind: "PAYMENT" | "REFUND";
  method: PaymentMethod;
  status: string;
  amountMinor: number;
  currency: string;
  /** What went beyond the invoice's balance (all of a prepayment): the patient's credit… */
  creditMinor: number;
  /** …of which later invoices used this much (CREDIT payments), and this much was refunded. */
  creditAppliedMinor?: number;
  creditRefundedMinor?: number;
  refundedMinor: number;
  /** CREDIT: the payment whose credit this one spends. */
  creditOf?: string | null;
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
  /** The invoice paid, or null for a prepayment of `appointmentId`. */
  invoiceId: string | null;
  appointmentId?: string | null;
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

/** What a payment still holds as credit. */
export const creditLeft = (payment: Pick<Payment, "creditMinor" | "creditAppliedMinor" | "creditRefundedMinor">): number =>
  payment.creditMinor - (payment.creditAppliedMinor ?? 0) - (payment.creditRefundedMinor ?? 0);

/** The patient's account: credit to spend, prepayments held for visits ahead, and what open invoices still ask. */
export interface BillingAccount {
  patientId: string;
  currency: string;
  creditMinor: number;
  prepaidMinor: number;
  outstandingMinor: number;
}
