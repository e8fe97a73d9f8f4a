/** The resolver map: one entry per schema type, each in the file named after it. */
import { DateTimeScalar } from "@clinigraph/platform";
import type { Resolvers } from "../generated/graphql.js";
import { Appointment } from "./Appointment.js";
import { Mutation } from "./Mutation.js";
import { Notification } from "./Notification.js";
import { Query } from "./Query.js";
import { Reminder } from "./Reminder.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Appointment,
  Notification,
  Reminder,
};
