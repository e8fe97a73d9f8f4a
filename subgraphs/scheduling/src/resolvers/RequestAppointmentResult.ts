import type { RequestAppointmentResultResolvers } from "../generated/graphql.js";

export const RequestAppointmentResult: RequestAppointmentResultResolvers = {
  __resolveType: (value) => ("kind" in value && value.kind === "SlotUnavailable" ? "SlotUnavailable" : "Appointment"),
};
