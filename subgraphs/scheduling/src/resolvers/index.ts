import { DateTimeScalar } from "@clinigraph/platform";
import type { Resolvers } from "../generated/graphql.js";
import { Appointment } from "./Appointment.js";
import { DoctorFeedback, FeedbackComment, ServiceFeedback } from "./FeedbackComment.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { RequestAppointmentResult } from "./RequestAppointmentResult.js";
import { Doctor, Slot } from "./Slot.js";
import { AppointmentEvent, Subscription } from "./Subscription.js";
import { WaitlistEntry } from "./WaitlistEntry.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Subscription,
  Appointment,
  AppointmentEvent,
  Slot,
  Doctor,
  WaitlistEntry,
  RequestAppointmentResult,
  FeedbackComment,
  DoctorFeedback,
  ServiceFeedback,
};
