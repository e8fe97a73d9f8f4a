/** The value each schema type's resolvers receive as parent: the domain records (read by scripts/codegen.ts). */
export type {
  Doctor as DoctorModel,
  MedicalService as MedicalServiceModel,
  ScheduleRule as ScheduleRuleModel,
  Specialty as SpecialtyModel,
  TimeOff as TimeOffModel,
} from "../domain/types.js";
