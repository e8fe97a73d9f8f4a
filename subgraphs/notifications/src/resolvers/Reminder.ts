import type { ReminderResolvers } from "../generated/graphql.js";

export const Reminder: ReminderResolvers = {
  status: (delivery) => (delivery.status === "SENDING" ? "SCHEDULED" : delivery.status),
  offsetMinutes: (delivery) => delivery.offsetMinutes ?? 0,
};
