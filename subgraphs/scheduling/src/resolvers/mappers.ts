/** The value each schema type's resolvers receive as parent (scripts/codegen.ts maps `<Type>` to `<Type>Model`). */
import type * as Schema from "../generated/graphql.js";
import type { AppointmentAction, AppointmentStatus, SlotStatus, WaitlistStatus } from "../domain/types.js";
import type { SlotUnavailableCode } from "../domain/results.js";

export type {
  Appointment as AppointmentModel,
  AppointmentChange as AppointmentChangeModel,
  Slot as SlotModel,
  WaitlistEntry as WaitlistEntryModel,
} from "../domain/types.js";
export type { SlotUnavailable as SlotUnavailableModel } from "../domain/results.js";
export type {
  DoctorFeedback as DoctorFeedbackModel,
  FeedbackComment as FeedbackCommentModel,
  ServiceFeedback as ServiceFeedbackModel,
} from "../domain/feedbackModeration.js";
export type { LiveAppointmentEvent as AppointmentEventModel } from "../live/eventTypes.js";

/** A doctor named by id; Doctor.name (provided on a slot's doctor) comes from scheduling's copy of the profile. */
export interface DoctorModel {
  id: string;
  /** Already read with the slot (searches, alternatives); otherwise loaded. */
  name?: string;
}

/** The domain's const unions are the schema's enums: this fails to compile when one of them drifts. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type EnumsMatchSchema = [
  Same<AppointmentStatus, Schema.AppointmentStatus>,
  Same<AppointmentAction, Schema.AppointmentAction>,
  Same<SlotStatus, Schema.SlotStatus>,
  Same<WaitlistStatus, Schema.WaitlistStatus>,
  Same<SlotUnavailableCode, Schema.SlotUnavailableCode>,
] extends [true, true, true, true, true]
  ? true
  : never;
export const ENUMS_MATCH_SCHEMA: EnumsMatchSchema = true;
