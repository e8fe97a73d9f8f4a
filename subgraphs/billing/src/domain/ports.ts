/** What the domain needs from the world, implemented in data/ and events/. */
import type { AppointmentRef, BillingAccount, Invoice, InvoiceLine, InvoiceStatus, Payment, PaymentSession, ServiceCard, ServicePrice } from "./types.js";

/**
 * Events written in the same transaction as the change they describe (the relay publishes them). `type` is an event
 * type of the catalogue (packages/events/src/catalogue.ts); `payload.id` names the aggregate the event is about.
 */
export interface Outbox {
  append(type: string, payload: { id: string } & Record<string, unknown>, occurredAt: Date): Promise<void>;
}

export interface PriceRepository {
  /** In force on `day` (YYYY-MM-DD) for each service: the latest effective date on or before it, the latest set for that date. */
  inForceMany(serviceIds: readonly string[], day: string): Promise<Map<string, ServicePrice>>;
  history(serviceId: string): Promise<ServicePrice[]>;
  add(price: ServicePrice & { setBy: string }): Promise<void>;
}

export interface InvoiceFilter {
  status?: InvoiceStatus | null;
  patientId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface InvoiceRepository {
  find(id: string): Promise<Invoice | null>;
  findByEncounter(encounterId: string): Promise<Invoice | null>;
  /** The latest invoice of the appointment's visit. */
  findByAppointment(appointmentId: string): Promise<Invoice | null>;
  list(filter: InvoiceFilter, first: number, after: { createdAt: Date; id: string } | null): Promise<Invoice[]>;
  paymentsOf(invoiceId: string): Promise<Payment[]>;
  /** The appointment's prepayments, oldest first. */
  prepaymentsOf(appointmentId: string): Promise<Payment[]>;
  /** The patient's credit (usable now), prepayments held for visits ahead, and the balance of open invoices. */
  accountOf(patientId: string): Promise<Omit<BillingAccount, "patientId" | "currency">>;
  findSession(id: string): Promise<PaymentSession | null>;
}

/** An appointment event as billing keeps it: the event's id and the appointment's state it tells. */
export interface AppointmentChange {
  eventId: string;
  appointment: AppointmentRef;
}

/** Billing's view of appointments outside a transaction: the common case of scheduling's events in one step. */
export interface AppointmentRepository {
  /**
   * In one atomic statement: marks the events handled by `consumer` and saves each appointment as the last of its
   * events not handled before tells (stream order), as handling them one by one would — unless an appointment of an
   * event with a service has a DRAFT invoice, whose consultation must follow the service: then nothing is written and
   * the answer is false.
   */
  recordChanges(consumer: string, changes: readonly AppointmentChange[], now: Date): Promise<boolean>;
}

/** Repositories bound to one transaction. */
export interface TransactionRepositories {
  outbox: Outbox;
  /** Records that a consumer handled an event; false when it already had (a redelivery). */
  markProcessed(consumer: string, eventId: string): Promise<boolean>;
  prices: Pick<PriceRepository, "inForceMany">;
  appointments: {
    save(ref: AppointmentRef, now: Date): Promise<void>;
    find(appointmentId: string): Promise<AppointmentRef | null>;
  };
  invoices: {
    /** Creates the visit's DRAFT invoice unless the encounter has one; returns the encounter's invoice, locked. */
    openForEncounter(
      invoice: Omit<Invoice, "lines" | "number" | "issuedAt" | "netMinor" | "taxMinor" | "totalMinor" | "paidMinor" | "createdAt">,
      now: Date,
    ): Promise<Invoice>;
    /** Creates an invoice of its own (a fee) with its lines; false when a line's source key exists (a redelivery). */
    createWithLines(invoice: Omit<Invoice, "number" | "issuedAt" | "createdAt">, now: Date): Promise<boolean>;
    /** The invoice with its lines, locked FOR UPDATE until the transaction ends. */
    lock(id: string): Promise<Invoice | null>;
    lockByEncounter(encounterId: string): Promise<Invoice | null>;
    /** The appointment's invoices in one of `statuses`, locked. */
    lockOfAppointment(appointmentId: string, statuses: readonly InvoiceStatus[]): Promise<Invoice[]>;
    /** Adds a line unless its source key exists; sets its service, description and price if it does and the invoice is DRAFT. */
    upsertLine(invoiceId: string, line: Omit<InvoiceLine, "id">, now: Date): Promise<void>;
    /** Writes the lines' prices and the invoice's totals, status, number and issue time. */
    save(invoice: Invoice, now: Date): Promise<void>;
    /** The next number of `year`'s gapless sequence (held under the sequence row's lock until commit). */
    nextNumber(year: number): Promise<number>;
  };
  payments: {
    findByKey(idempotencyKey: string): Promise<Payment | null>;
    /** The payment, locked until the transaction ends. */
    lock(id: string): Promise<Payment | null>;
    add(payment: Payment): Promise<void>;
    /** Records what a refund or a use of the payment's credit changed. */
    record(id: string, changes: Partial<Pick<Payment, "refundedMinor" | "creditAppliedMinor" | "creditRefundedMinor">>): Promise<void>;
    /**
     * The patient's payments with credit left that an invoice of `appointmentId` may spend, locked: credit without an
     * appointment, the appointment's own prepayments, prepayments of visits that took place or were missed. The
     * appointment's own come first, then the oldest.
     */
    lockCreditSources(patientId: string, appointmentId: string | null): Promise<Payment[]>;
    /** The appointment's prepayments, locked. */
    lockPrepayments(appointmentId: string): Promise<Payment[]>;
  };
  sessions: {
    findByKey(idempotencyKey: string): Promise<PaymentSession | null>;
    /** The session with this provider reference, locked. */
    lockByProviderRef(provider: string, providerRef: string): Promise<PaymentSession | null>;
    add(session: PaymentSession): Promise<void>;
    /** Records what changed about the session (its provider reference, its outcome). */
    record(id: string, changes: Partial<Pick<PaymentSession, "status" | "providerRef" | "checkoutUrl" | "clientSecret">>, now: Date): Promise<void>;
  };
  /** Records a provider's webhook event; false when it was handled before (a replay). */
  markWebhook(provider: string, eventId: string, now: Date): Promise<boolean>;
}

/** One transaction, retried on deadlocks and serialization failures. */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}

/** Public facts of the doctors subgraph invoices are written with. */
export interface ServiceCatalogue {
  /** null: the doctors subgraph does not know the service. Throws CatalogueUnavailable when it cannot answer. */
  service(serviceId: string): Promise<ServiceCard | null>;
  /** The service a visit to the doctor is billed as: their consultation, else check-up, procedure or operation; null if none. */
  consultationOf(doctorId: string): Promise<ServiceCard | null>;
}

export class CatalogueUnavailable extends Error {
  override name = "CatalogueUnavailable";
}

/** The invoice as a document the patient downloads (PDF). */
export interface InvoiceDocuments {
  render(invoice: Invoice): Promise<Buffer>;
}

/** What billing asks a payment provider for an online payment. */
export interface CheckoutRequest {
  sessionId: string;
  /** What the payer sees, e.g. "Invoice 2026-000123". */
  description: string;
  /** What is paid: an invoice, or an appointment ahead of its visit (a prepayment). */
  invoiceId: string | null;
  appointmentId: string | null;
  amountMinor: number;
  currency: string;
  /** The provider's idempotency key: a retried request starts no second payment. */
  idempotencyKey: string;
}

export interface Checkout {
  providerRef: string;
  /** Where the payer goes (the test provider's page); null when the front end confirms with `clientSecret` (Stripe). */
  checkoutUrl: string | null;
  clientSecret: string | null;
}

/** A provider's webhook, verified: the payment succeeded or failed. */
export interface PaymentOutcome {
  eventId: string;
  providerRef: string;
  outcome: "SUCCEEDED" | "FAILED";
}

/** An online payment provider (Stripe, or the local test provider). */
export interface PaymentProvider {
  readonly name: string;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /** Verifies the webhook's signature (throws WebhookRejected) and reads it; null for an event billing does not act on. */
  readWebhook(rawBody: Buffer, signature: string | undefined): PaymentOutcome | null;
  refund(providerRef: string, amountMinor: number, idempotencyKey: string): Promise<{ refundRef: string }>;
}

/** A webhook whose signature does not verify (or that cannot be read). */
export class WebhookRejected extends Error {
  override name = "WebhookRejected";
}

/** The provider did not answer or refused the request. */
export class ProviderUnavailable extends Error {
  override name = "ProviderUnavailable";
}

/** Audits reads of other people's invoices (a PatientRecordAccessed event each, INVOICE_READ). */
export interface ReadRecorder {
  /** Records the caller's read of these invoices' patients (their own are skipped). */
  invoices(invoices: readonly ({ patientId: string } | null | undefined)[]): Promise<void>;
}
