import type { Identity, Logger } from "@clinigraph/platform";
import type {
  AppointmentRepository,
  InvoiceDocuments,
  InvoiceRepository,
  PaymentProvider,
  PriceRepository,
  ReadRecorder,
  ServiceCatalogue,
  UnitOfWork,
} from "./ports.js";

/** The clinic's billing settings. */
export interface BillingSettings {
  /** CLINIC_CURRENCY: the one ISO 4217 currency of prices, invoices and payments. */
  currency: string;
  /** CLINIC_TIMEZONE: the day of a visit, of a price's effective date and of an invoice's year. */
  timezone: string;
  /**
   * Fees (minor units; 0: off, the default): a patient's cancellation less than `lateCancellationHours` before the
   * start (LATE_CANCELLATION_FEE_MINOR, LATE_CANCELLATION_HOURS) and a no-show (NO_SHOW_FEE_MINOR).
   */
  fees: { lateCancellationMinor: number; lateCancellationHours: number; noShowMinor: number };
}

/** Everything the billing use cases need, wired in index.ts (tests pass fakes). */
export interface Deps {
  prices: PriceRepository;
  invoices: InvoiceRepository;
  /** scheduling's appointment events that change only billing's view of the appointment. */
  appointments: AppointmentRepository;
  catalogue: ServiceCatalogue;
  /** Online payments: Stripe with STRIPE_SECRET_KEY, else the local test provider. */
  provider: PaymentProvider;
  documents: InvoiceDocuments;
  unitOfWork: UnitOfWork;
  /** The read audit of one request's caller. */
  readAudit(identity: Identity): ReadRecorder;
  settings: BillingSettings;
  clock: () => Date;
  logger: Logger;
}
