/** The resolver map: one entry per schema type, each in the file named after it. */
import { DateScalar, DateTimeScalar } from "@clinigraph/platform";
import type { Resolvers } from "../generated/graphql.js";
import { Appointment } from "./Appointment.js";
import { BillingAccount } from "./BillingAccount.js";
import { Encounter } from "./Encounter.js";
import { Invoice } from "./Invoice.js";
import { InvoiceLine } from "./InvoiceLine.js";
import { MedicalService } from "./MedicalService.js";
import { Mutation } from "./Mutation.js";
import { Payment } from "./Payment.js";
import { Patient } from "./Patient.js";
import { PaymentSession } from "./PaymentSession.js";
import { Query } from "./Query.js";
import { ServicePrice } from "./ServicePrice.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query,
  Mutation,
  MedicalService,
  ServicePrice,
  Invoice,
  InvoiceLine,
  Payment,
  PaymentSession,
  Appointment,
  Encounter,
  Patient,
  BillingAccount,
};
