import { formatTime } from "../domain/scheduleRules.js";
import type { ScheduleRuleResolvers } from "../generated/graphql.js";

export const ScheduleRule: ScheduleRuleResolvers = {
  startTime: (rule) => formatTime(rule.startMinute),
  endTime: (rule) => formatTime(rule.endMinute),
};
