import { formatTime } from "../domain/scheduleRules.js";
import type { ScheduleBreakResolvers } from "../generated/graphql.js";

export const ScheduleBreak: ScheduleBreakResolvers = {
  startTime: (b) => formatTime(b.startMinute),
  endTime: (b) => formatTime(b.endMinute),
};
