import { DateTimeScalar } from "@clinigraph/platform";
import { Appointment } from "./Appointment.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { Slot } from "./Slot.js";
import { AppointmentEvent, Subscription } from "./Subscription.js";
import { WaitlistEntry } from "./WaitlistEntry.js";

export const resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Subscription,
  Appointment,
  AppointmentEvent,
  Slot,
  WaitlistEntry,
  RequestAppointmentResult: {
    __resolveType: (value: { kind: string }) => value.kind,
  },
};
