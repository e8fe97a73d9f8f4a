import { formatTime } from "../domain/scheduleRules.js";
import type { ScheduleRule as ScheduleRuleRecord } from "../domain/types.js";

export const ScheduleRule = {
  startTime: (rule: ScheduleRuleRecord) => formatTime(rule.startMinute),
  endTime: (rule: ScheduleRuleRecord) => formatTime(rule.endMinute),
};
