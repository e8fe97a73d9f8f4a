/** The value each schema type's resolvers receive as parent: the domain records (read by scripts/codegen.ts). */
export type {
  Doctor as DoctorModel,
  ExtraHours as ExtraHoursModel,
  MedicalService as MedicalServiceModel,
  ScheduleBreak as ScheduleBreakModel,
  ScheduleRule as ScheduleRuleModel,
  ScheduleTemplate as ScheduleTemplateModel,
  ScheduleVersion as ScheduleVersionModel,
  Specialty as SpecialtyModel,
  TimeOff as TimeOffModel,
} from "../domain/types.js";
export type { DoctorPreview as ScheduleTemplatePreviewModel } from "../domain/previewScheduleTemplate.js";
