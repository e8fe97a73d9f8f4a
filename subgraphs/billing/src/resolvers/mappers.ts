/** What resolvers receive as the parent of each schema type (scripts/codegen.ts reads the `<Type>Model` names). */
export type {
  BillingAccount as BillingAccountModel,
  Invoice as InvoiceModel,
  InvoiceLine as InvoiceLineModel,
  Payment as PaymentModel,
  PaymentSession as PaymentSessionModel,
  ServicePrice as ServicePriceModel,
} from "../domain/types.js";
/** Entities of other subgraphs billing adds fields to: their id. */
export type MedicalServiceModel = { id: string };
export type AppointmentModel = { id: string };
export type EncounterModel = { id: string };
export type PatientModel = { id: string };
