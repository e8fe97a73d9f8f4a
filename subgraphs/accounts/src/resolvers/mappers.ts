/** The parent value of each schema type (scripts/codegen.ts reads the `<Type>Model` names). */
export type { UserRecord as UserModel, UserRecord as PatientModel, AuditRecord as AuditEntryModel } from "../domain/types.js";
export type { DataExportRecord as DataExportModel } from "../domain/dataExport.js";
