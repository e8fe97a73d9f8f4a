import { effectiveRules } from "../domain/scheduleTemplates.js";
import type { ScheduleTemplateResolvers } from "../generated/graphql.js";

export const ScheduleTemplate: ScheduleTemplateResolvers = {
  effectiveRules: (template) => effectiveRules(template.rules, template.breaks, "template.rules"),
};
