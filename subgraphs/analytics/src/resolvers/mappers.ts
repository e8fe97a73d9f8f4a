/** What resolvers receive as the parent of each schema type (scripts/codegen.ts reads the `<Type>Model` names). */
export type { KpiPoint as KpiPointModel, ServiceStatus as AnalyticsStatusModel } from "../domain/types.js";
export type {
  DoctorBreakdown as DoctorBreakdownModel,
  SpecialtyBreakdown as SpecialtyBreakdownModel,
  ServiceBreakdown as ServiceBreakdownModel,
  LoadCell as LoadCellModel,
} from "../domain/breakdownTypes.js";
