import type { ScheduleVersionResolvers } from "../generated/graphql.js";

export const ScheduleVersion: ScheduleVersionResolvers = {
  // YYYY-MM-DD: the Date scalar reads it as that day.
  from: (version) => new Date(`${version.from}T00:00:00Z`),
};
